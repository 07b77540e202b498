"""Cyclic garbage collection paused around work that allocates many small objects and makes no cycles.

Reading thousands of files, or (un)pickling a cache shard, allocates hundreds of thousands of small
objects; the collector's passes over them cost more than the work itself and find nothing to collect.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's previous state afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
