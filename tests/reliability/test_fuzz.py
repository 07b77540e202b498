"""Property-based tests: every reader and the whole check survive mutated real inputs.

Each target (tests/reliability/registry.py) draws mutated corpus plans, example sources and migrations
(cut, duplicated, reordered, spliced, with unicode, NUL bytes, 1 MB lines and deep nesting injected, as
text or as the bytes of a file in another encoding) and asserts that nothing raises, every range lies
inside its document, and two runs give the same model. Derandomised (a fixed seed) and capped for CI;
`python -m tests.reliability.campaign` runs the same targets for far longer.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.reliability.registry import SCALE, TARGETS, FuzzTarget, fuzz_settings


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_target_survives_mutated_inputs(target: FuzzTarget) -> None:
    @fuzz_settings(target.ci_examples * SCALE)
    @given(target.strategy)
    def run(value: object) -> None:
        target.run(value)

    run()
