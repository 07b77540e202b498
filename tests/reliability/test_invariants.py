"""The invariant checks themselves catch what they are meant to catch (so a passing fuzz run means it)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from stage_lsp.code.index import read_facts
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from tests.reliability.invariants import check_deterministic, check_ranges, ranges_of

TEXT = "ab\nżółw 🚀\n"  # lines: "ab" (2), "żółw 🚀" (6 code points), "" (0)


@dataclass(frozen=True)
class Holder:
    where: Range
    elsewhere: Location | None = None
    nested: dict[str, tuple[Range, ...]] = field(default_factory=dict)


@pytest.mark.parametrize(
    "bad",
    [
        Range(3, 0, 3, 0),  # line past the end
        Range(1, 0, 1, 7),  # column past the line's end (6 code points)
        Range(0, 2, 0, 1),  # start after end
        Range(1, 3, 0, 1),
        Range(-1, 0, 0, 0),
    ],
)
def test_ranges_outside_the_document_are_caught(bad: Range) -> None:
    check_ranges(Holder(Range(1, 0, 1, 6)), {"f": TEXT}, "f")  # the end of a line is inside
    with pytest.raises(AssertionError):
        check_ranges(Holder(Range(0, 0, 0, 0), nested={"x": (bad,)}), {"f": TEXT}, "f")


def test_locations_are_checked_against_their_own_file() -> None:
    holder = Holder(Range(0, 0, 0, 1), elsewhere=Location("g", Range(0, 0, 0, 5)))
    check_ranges(holder, {"f": TEXT}, "f")  # `g` not given: not checked
    with pytest.raises(AssertionError, match="g: "):
        check_ranges(holder, {"f": TEXT, "g": "abc"}, "f")


def test_every_range_of_a_real_model_is_reached() -> None:
    facts = read_facts(
        SourceFile.from_text("src/x.ts", 'export const GET = () => new Response("", { status: 200 });\n')
    )
    assert len(list(ranges_of(facts))) >= 3  # functions, returns, exports: the walker gets into them


def test_different_models_are_caught() -> None:
    check_deterministic(Holder(Range(0, 0, 0, 1)), Holder(Range(0, 0, 0, 1)))
    with pytest.raises(AssertionError, match="two different models"):
        check_deterministic(Holder(Range(0, 0, 0, 1)), Holder(Range(0, 0, 0, 2)))
