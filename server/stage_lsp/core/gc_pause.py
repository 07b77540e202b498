"""Cyclic garbage collection kept out of the way of work that allocates many small objects.

Reading thousands of files, or (un)pickling a cache shard, allocates hundreds of thousands of small
objects; the collector's passes over them cost more than the work itself and find little to collect.
On the large benchmark workspace one full collection walks the code model's ~280,000 objects in about
0.25 s of CPU, and the interpreter runs several as the model grows (each time the long-lived objects
grow by a quarter): a fifth of building the model.
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


@contextmanager
def long_lived() -> Iterator[None]:
    """For batch work whose results live until the process exits (the CLI's models, a cache shard):
    no collection inside the block, then everything alive is moved out of the collector's sight
    (`gc.freeze`), so later collections do not walk it again and again.

    Cyclic garbage made inside the block is frozen too and kept until the process exits (the route
    pass's evaluator leaves some: frames and the lazy values that refer to them), which is why the
    language server, a long-running process, never uses this around a check; it freezes once, after a
    full collection, when its first index is built (`lsp/scheduler.py`).
    """
    with gc_paused():
        yield
        gc.freeze()
