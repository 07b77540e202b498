"""The collector policies of core/gc_pause: paused inside, restored after, and frozen only on success."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from stage_lsp.core.gc_pause import gc_paused, long_lived


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_gc_paused_restores_an_enabled_collector_and_leaves_a_disabled_one() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_long_lived_freezes_what_was_built() -> None:
    gc.enable()
    gc.unfreeze()
    with long_lived():
        assert not gc.isenabled()
        built = [{"n": i} for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)


def test_long_lived_does_not_freeze_when_the_work_fails() -> None:
    gc.enable()
    gc.unfreeze()
    with pytest.raises(RuntimeError), long_lived():
        raise RuntimeError("reader failed")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
