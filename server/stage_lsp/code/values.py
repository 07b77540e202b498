"""Abstract values the project pass computes from expression summaries (`code.evaluate`).

An evaluation yields a tuple of alternatives (a ternary, `a || b`, several returns). `VUnknown` marks
anything not resolved; whoever reads a result decides what an unknown means (an incomplete status set,
an incomplete field set). Values carry the location they come from where a finding may point at them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from stage_lsp.code.expr import TypeExpr
from stage_lsp.code.facts import ClassFacts, FunctionFacts, ModuleFacts
from stage_lsp.code.model import Insertion
from stage_lsp.core.location import Location

if TYPE_CHECKING:
    from stage_lsp.code.evaluate import Frame


class V:
    __slots__ = ()


Vals = tuple[V, ...]


@dataclass(frozen=True, slots=True)
class VNum(V):
    value: int
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class VStr(V):
    value: str
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class VLit(V):
    value: str  # true, false, null, undefined


UNDEFINED = VLit("undefined")


class Lazy:
    """A value computed on first use: most of what a handler builds is never looked at."""

    __slots__ = ("_compute", "_done")

    def __init__(self, compute: Callable[[], Vals]) -> None:
        self._compute: Callable[[], Vals] | None = compute
        self._done: Vals = ()

    def get(self) -> Vals:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            self._done = compute()
        return self._done


def force(value: Vals | Lazy) -> Vals:
    return value.get() if isinstance(value, Lazy) else value


class VEntry:
    """One property of an object value; `key` None is a spread. Its values are computed on use."""

    __slots__ = ("_values", "key", "loc", "shorthand")

    def __init__(
        self, key: str | None, values: Vals | Lazy, loc: Location | None = None, shorthand: bool = False
    ) -> None:
        self.key = key
        self._values = values
        self.loc = loc
        self.shorthand = shorthand  # `{ name }`

    @property
    def values(self) -> Vals:
        if isinstance(self._values, Lazy):
            self._values = self._values.get()
        return self._values


class Args(Sequence[Vals]):
    """Call arguments, each evaluated when first read."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Vals | Lazy]) -> None:
        self._items = list(items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> Vals: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Vals]: ...
    def __getitem__(self, i: int | slice) -> Vals | Sequence[Vals]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._items)))]
        item = self._items[i]
        if isinstance(item, Lazy):
            item = self._items[i] = item.get()
        return item

    def lazy(self, i: int) -> Vals | Lazy:
        return self._items[i]


@dataclass(frozen=True, slots=True)
class VObj(V):
    entries: tuple[VEntry, ...]
    loc: Location | None = None
    insert: Insertion | None = None  # where a new entry would be appended


@dataclass(frozen=True, slots=True)
class VArr(V):
    items: tuple[Vals, ...]


@dataclass(frozen=True, slots=True, eq=False)
class VFn(V):
    module: ModuleFacts
    fn: FunctionFacts
    env: Frame | None
    this: V | None = None


@dataclass(frozen=True, slots=True, eq=False)
class VClass(V):
    module: ModuleFacts
    cls: ClassFacts


@dataclass(frozen=True, slots=True, eq=False)
class VInst(V):
    cls: VClass
    args: Sequence[Vals]
    loc: Location | None = None


@dataclass(frozen=True, slots=True, eq=False)
class VNs(V):
    module: ModuleFacts


@dataclass(frozen=True, slots=True)
class VExt(V):
    """Something from a package or the runtime: ("zod", "object"), ("next/server", "NextResponse", "json")."""

    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VParam(V):
    """An unbound parameter of the handler being read (the request context), with the members taken."""

    path: tuple[str, ...]
    index: int


@dataclass(frozen=True, slots=True)
class VResp(V):
    """A response: its status alternatives (empty: the default), body alternatives and where it is made."""

    statuses: Vals
    default: int
    body: Vals
    site: Location | None
    type_args: tuple[tuple[TypeExpr, ModuleFacts], ...] = ()

    @property
    def status_values(self) -> Vals:
        return self.statuses or (VNum(self.default, None),)


@dataclass(frozen=True, slots=True)
class VResChain(V):
    """Express `res.status(404)` before `.json(...)`."""

    statuses: Vals


@dataclass(frozen=True, slots=True)
class VErr(V):
    """A package exception with a known status: Nest `NotFoundException`, FastAPI `HTTPException`."""

    statuses: Vals
    body: Vals = ()
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class ZField:
    name: str
    loc: Location | None
    optional: bool = False
    bound: int | None = None
    shorthand: bool = False  # written `{ name }` (the schema is the variable `name`)


@dataclass(frozen=True, slots=True)
class VZod(V):
    kind: str  # "object" | "scalar" | "array" | "other"
    fields: tuple[ZField, ...] = ()
    complete: bool = True
    optional: bool = False
    bound: int | None = None
    loc: Location | None = None
    insert: Insertion | None = None  # an object schema: where a new key is appended to its shape


@dataclass(frozen=True, slots=True, eq=False)
class VTyped(V):
    """A value known only by its declared type (a service's return type)."""

    type: TypeExpr
    module: ModuleFacts


@dataclass(frozen=True, slots=True, eq=False)
class VCaught(V):
    """The error caught by a catch clause."""

    module: ModuleFacts
    fn: FunctionFacts
    index: int
    env: Frame


@dataclass(frozen=True, slots=True)
class VUnknown(V):
    reason: str
    loc: Location | None = None


@dataclass
class Budget:
    """Caps the work of one evaluation (helpers calling helpers calling helpers)."""

    steps: int = 20000
    unknowns: list[VUnknown] = field(default_factory=list)
