"""Summaries of source expressions and types, small enough to cache per file and evaluate later.

The per-file readers (`ts_extract`, `py_extract`) turn the few syntax trees that matter (returned values,
thrown errors, call arguments, constants, zod schemas, DTO types) into these values; the project pass
(`evaluate`) interprets them across files. Ranges are file-relative (the file is known from the context).
Anything the converter does not model becomes `Unknown`, which the evaluator treats as "not resolved".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from stage_lsp.core.location import Range


class Expr:
    """Base of every expression summary."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Num(Expr):
    value: int
    rng: Range


@dataclass(frozen=True, slots=True)
class Str(Expr):
    value: str
    rng: Range


@dataclass(frozen=True, slots=True)
class Lit(Expr):
    """true / false / null / undefined / None."""

    value: str


@dataclass(frozen=True, slots=True)
class Ident(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class This(Expr):
    pass


@dataclass(frozen=True, slots=True)
class Member(Expr):
    obj: Expr
    prop: str
    optional: bool = False  # `a?.b`


@dataclass(frozen=True, slots=True)
class Index(Expr):
    """`obj[key]` with a computed key (`statusMap[error.code]`)."""

    obj: Expr
    key: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    callee: Expr
    args: tuple[Expr, ...]
    rng: Range
    type_args: tuple[TypeExpr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()  # Python keyword arguments


@dataclass(frozen=True, slots=True)
class New(Expr):
    callee: Expr
    args: tuple[Expr, ...]
    rng: Range


@dataclass(frozen=True, slots=True)
class Entry:
    """One property of an object literal; `key` None is a spread (`...x`)."""

    key: str | None
    value: Expr
    rng: Range
    shorthand: bool = False  # `{ name }`: the key is also a variable reference


@dataclass(frozen=True, slots=True)
class Append:
    """Where a new member is appended to an object literal or object type: `lead + member + trail`
    at the point `rng`, after the last member (see `code.model.Insertion`)."""

    rng: Range
    lead: str
    trail: str


@dataclass(frozen=True, slots=True)
class Obj(Expr):
    entries: tuple[Entry, ...]
    rng: Range
    append: Append | None = None


@dataclass(frozen=True, slots=True)
class Arr(Expr):
    items: tuple[Expr, ...]
    rng: Range


@dataclass(frozen=True, slots=True)
class Alt(Expr):
    """Either of the options: `a || b`, `a ?? b`, `c ? a : b`."""

    options: tuple[Expr, ...]
    op: str = "?"  # "||" and "??": the first option only counts when it is truthy / not nullish


@dataclass(frozen=True, slots=True)
class FnRef(Expr):
    """A function defined in the same file, by its id (the start byte of its node)."""

    fid: int


@dataclass(frozen=True, slots=True)
class As(Expr):
    """`x as T`, `<T>x`, `x satisfies T`."""

    expr: Expr
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class Caught(Expr):
    """The parameter of a catch clause: whatever the matching try block may throw (index into `tries`)."""

    index: int


@dataclass(frozen=True, slots=True)
class Unknown(Expr):
    text: str
    rng: Range


# -- types ------------------------------------------------------------------------------------------


class TypeExpr:
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class TField:
    name: str
    rng: Range
    optional: bool = False


@dataclass(frozen=True, slots=True)
class TObj(TypeExpr):
    fields: tuple[TField, ...]
    rng: Range
    extends: tuple[TypeExpr, ...] = ()
    complete: bool = True  # False with index signatures or members not understood
    append: Append | None = None


@dataclass(frozen=True, slots=True)
class TRef(TypeExpr):
    """A named type, possibly generic: `FlashcardDto`, `Pick<T, "a">`, `Tables<"decks">`."""

    name: str  # dotted for qualified names
    args: tuple[TypeExpr, ...]
    rng: Range


@dataclass(frozen=True, slots=True)
class TLit(TypeExpr):
    """A string literal type: `"id"`."""

    value: str
    rng: Range | None = None


@dataclass(frozen=True, slots=True)
class TInter(TypeExpr):
    parts: tuple[TypeExpr, ...]


@dataclass(frozen=True, slots=True)
class TUnion(TypeExpr):
    parts: tuple[TypeExpr, ...]


@dataclass(frozen=True, slots=True)
class TIndex(TypeExpr):
    """`T["key"]`."""

    obj: TypeExpr
    key: str


@dataclass(frozen=True, slots=True)
class TArray(TypeExpr):
    elem: TypeExpr


@dataclass(frozen=True, slots=True)
class TKeyword(TypeExpr):
    """`string`, `number`, `null`, `undefined`, `void`, `any`, `unknown`, ..."""

    name: str


@dataclass(frozen=True, slots=True)
class TUnknown(TypeExpr):
    text: str


def idents(expr: Expr) -> Iterator[str]:
    """Every identifier an expression refers to (for lazy conversion of local declarations)."""
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Ident):
            yield e.name
        elif isinstance(e, Member):
            stack.append(e.obj)
        elif isinstance(e, Index):
            stack.append(e.obj)
            stack.append(e.key)
        elif isinstance(e, Call | New):
            stack.append(e.callee)
            stack.extend(e.args)
            if isinstance(e, Call):
                stack.extend(v for _, v in e.kwargs)
        elif isinstance(e, Obj):
            stack.extend(en.value for en in e.entries)
        elif isinstance(e, Arr):
            stack.extend(e.items)
        elif isinstance(e, Alt):
            stack.extend(e.options)
        elif isinstance(e, As):
            stack.append(e.expr)


def unwrap(expr: Expr) -> Expr:
    """Drop `as` casts."""
    while isinstance(expr, As):
        expr = expr.expr
    return expr


def dotted(expr: Expr) -> str | None:
    """`a.b.c` for a chain of identifiers and members (`this` included), else None."""
    parts: list[str] = []
    e = unwrap(expr)
    while isinstance(e, Member):
        parts.append(e.prop)
        e = unwrap(e.obj)
    if isinstance(e, Ident):
        parts.append(e.name)
    elif isinstance(e, This):
        parts.append("this")
    else:
        return None
    return ".".join(reversed(parts))
