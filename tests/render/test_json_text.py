"""`render.json_text.dumps_indented` writes exactly what `json.dumps(value, indent=2, ensure_ascii=False)`
writes, for any JSON value and for the values it leaves to `json.dumps`."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stage_lsp.render.json_text import dumps_indented


def _reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),  # any code point: quotes, backslashes, control characters, Polish letters, lone surrogates
    lambda children: (
        st.lists(children, max_size=5)
        | st.tuples(children, children)
        | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_the_text_is_json_dumps_indent_2(value: Any) -> None:
    assert dumps_indented(value) == _reference(value)


class Level(enum.Enum):
    ERROR = "error"


class Code(enum.StrEnum):
    SL101 = "SL101"


@pytest.mark.parametrize(
    "value",
    [
        {"a": float("nan"), "b": [float("inf"), -float("inf")]},  # NaN / Infinity
        {1: "int key", None: "null key", 2.5: "float key"},  # keys json.dumps converts
        {"code": Code.SL101, "n": [True, False, 0, -1, 10**30]},  # a str subclass, bools are ints
        {"nested": {"empty": {}, "list": [], "deep": [[[{"x": "ł"}]]]}},
    ],
)
def test_values_it_leaves_to_json_dumps_give_the_same_text(value: Any) -> None:
    assert dumps_indented(value) == _reference(value)


def test_what_json_dumps_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"level": Level.ERROR})
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps_indented(loop)
