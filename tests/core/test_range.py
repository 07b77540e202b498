"""`Range` is a tuple of four numbers with names (core.location): what the rest of the code relies on."""

from __future__ import annotations

import copy
import pickle

import pytest

from stage_lsp.core.location import Location, Range
from stage_lsp.workspace.cache import dispatch_table, loads, pack


def test_a_range_is_four_named_numbers_compared_hashed_and_ordered_as_such() -> None:
    r = Range(3, 4, 5, 6)
    assert (r.line, r.col, r.end_line, r.end_col) == (3, 4, 5, 6)
    assert r == Range(3, 4, 5, 6) and hash(r) == hash(Range(3, 4, 5, 6))
    assert sorted([Range(2, 0, 2, 1), Range(1, 9, 1, 9), Range(1, 2, 3, 4)]) == [
        Range(1, 2, 3, 4),
        Range(1, 9, 1, 9),
        Range(2, 0, 2, 1),
    ]
    assert repr(r) == "Range(line=3, col=4, end_line=5, end_col=6)"
    assert Range.point(7, 2) == Range(7, 2, 7, 2) and Range.of_line(1, "  ab  ") == Range(1, 2, 1, 4)
    assert r.contains_line(4) and not r.contains_line(6)
    match r:
        case Range(line=3, col=col):
            assert col == 4
        case _:
            pytest.fail("Range does not match by field name")


def test_a_range_cannot_be_changed() -> None:
    r = Range(1, 2, 3, 4)
    with pytest.raises(AttributeError):
        r.line = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        r.extra = 1  # type: ignore[attr-defined]
    assert copy.copy(r) is r and copy.deepcopy(r) is r
    with pytest.raises(TypeError):
        Range(1, 2)  # type: ignore[call-arg]


def test_ranges_survive_pickling_and_the_caches_restricted_loader() -> None:
    value = [Location("src/a.ts", Range(1, 2, 3, 4)), Range(0, 0, 0, 1)]
    assert pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) == value
    table = dispatch_table()
    assert Range in table  # reduced without object.__reduce_ex__, to the same bytes
    assert pack(Range(1, 2, 3, 4), table) == pack(Range(1, 2, 3, 4), {})
    loaded = loads(pack(value, table))
    assert loaded == value and type(loaded[1]) is Range and type(loaded[0].range) is Range
