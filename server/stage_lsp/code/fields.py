"""Field names from DTO types and zod schemas, with locations and whether the set is complete.

Types: interfaces (with `extends`), type aliases, object types, `Pick`/`Omit`/`Partial`/`Required`/
`Readonly`, intersections, unions with `null`, `Promise<T>`/`Array<T>`/`T[]` (the element), DTO classes,
and generated-table types: `Tables<"x">`, `TablesInsert<"x">`, `TablesUpdate<"x">` and
`Database["public"]["Tables"]["x"]["Row"]`. Table columns come from `CodeModel.types_tables`
(database.types.ts); without it such a set is incomplete, but the keys of a `Pick` are still known.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from stage_lsp.code.expr import TArray, TIndex, TInter, TKeyword, TLit, TObj, TRef, TUnion, TypeExpr
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.model import CodeField, FieldSet, Insertion
from stage_lsp.code.project import Project
from stage_lsp.code.values import ZField
from stage_lsp.core.location import Location, Range

TypesTables = tuple[tuple[str, tuple[str, ...]], ...] | None
_WRAPPERS = frozenset(
    {"Partial", "Required", "Readonly", "NonNullable", "Promise", "Awaited", "Array", "ReadonlyArray"}
)
_ZERO = Range(0, 0, 0, 0)
_TABLE_HELPERS = {"Tables": "Row", "TablesInsert": "Insert", "TablesUpdate": "Update", "Row": "Row"}


@dataclass
class Fields:
    fields: list[CodeField]
    complete: bool
    source: Location | None = None
    insert: Insertion | None = None  # where a missing field is added

    def to_set(self) -> FieldSet:
        seen: set[str] = set()
        unique = []
        for f in self.fields:
            if f.name not in seen:
                seen.add(f.name)
                unique.append(f)
        return FieldSet(tuple(unique), self.complete, self.source, insert=self.insert)


class TypeFields:
    """Resolves a type expression (in the module where it is written) to its top-level fields."""

    def __init__(self, project: Project, types_tables: TypesTables) -> None:
        self.project = project
        self.tables = dict(types_tables) if types_tables is not None else None

    def of(self, type_: TypeExpr, module: ModuleFacts, depth: int = 0) -> Fields:
        if depth > 12:
            return Fields([], False)
        if isinstance(type_, TObj):
            a = type_.append
            out = Fields(
                [
                    CodeField(f.name, Location(module.rel, f.rng), f.optional, kind="type")
                    for f in type_.fields
                ],
                type_.complete,
                Location(module.rel, type_.rng),
                Insertion(Location(module.rel, a.rng), a.lead, a.trail, "type") if a is not None else None,
            )
            for base in type_.extends:
                inner = self.of(base, module, depth + 1)
                out.fields = inner.fields + out.fields
                out.complete = out.complete and inner.complete
            return out
        if isinstance(type_, TInter):
            out = Fields([], True)
            for part in type_.parts:
                inner = self.of(part, module, depth + 1)
                out.fields.extend(inner.fields)
                out.complete = out.complete and inner.complete
                out.source = out.source or inner.source
                out.insert = inner.insert  # the last part: its own object type, when it is one
            return out
        if isinstance(type_, TUnion):
            parts = [
                p for p in type_.parts if not (isinstance(p, TKeyword) and p.name in ("null", "undefined"))
            ]
            if len(parts) == 1:
                return self.of(parts[0], module, depth + 1)
            out = Fields([], False)
            for part in parts:
                out.fields.extend(self.of(part, module, depth + 1).fields)
            return out
        if isinstance(type_, TArray):
            return self.of(type_.elem, module, depth + 1)
        if isinstance(type_, TIndex):
            return self._index(type_, module, depth)
        if isinstance(type_, TRef):
            return self._ref(type_, module, depth)
        return Fields([], False)

    def _ref(self, ref: TRef, module: ModuleFacts, depth: int) -> Fields:
        name = ref.name.rsplit(".", 1)[-1]
        where = Location(module.rel, ref.rng)
        if name in _WRAPPERS and ref.args:
            inner = self.of(ref.args[0], module, depth + 1)
            if name == "Partial":
                inner.fields = [replace(f, optional=True) for f in inner.fields]
            return inner
        if name == "Pick" and len(ref.args) == 2:
            keys = _literal_keys(ref.args[1])
            if keys is None:
                return Fields([], False, where)
            base = self.of(ref.args[0], module, depth + 1)
            by_name = {f.name: f for f in base.fields}
            fields = [
                by_name.get(k) or CodeField(k, Location(module.rel, rng) if rng is not None else where)
                for k, rng in keys
            ]
            return Fields(fields, True, where)
        if name == "Omit" and len(ref.args) == 2:
            keys = _literal_keys(ref.args[1])
            base = self.of(ref.args[0], module, depth + 1)
            if keys is None:
                return Fields(base.fields, False, where)
            drop = {k for k, _ in keys}
            kept = [f for f in base.fields if f.name not in drop]
            return Fields(kept, base.complete, where, base.insert)
        if name in _TABLE_HELPERS and ref.args and isinstance(ref.args[0], TLit):
            return self._table(ref.args[0].value, where)
        if name in ("Record", "Map", "Set", "Omit", "Pick"):
            return Fields([], False, where)
        symbol = self.project.lookup(module, ref.name.split(".")[0], want_type=True)
        if symbol is None:
            return Fields([], False, where)
        if symbol.type is not None:
            return self.of(symbol.type, symbol.module, depth + 1)
        if symbol.cls is not None:
            cls_module = symbol.module
            fields = [
                CodeField(n, Location(cls_module.rel, r), o, kind="type")
                for n, r, o in symbol.cls.type_fields
            ]
            return Fields(fields, True, Location(cls_module.rel, symbol.cls.rng))
        return Fields([], False, where)

    def _index(self, type_: TIndex, module: ModuleFacts, depth: int) -> Fields:
        # Database["public"]["Tables"]["x"]["Row"]
        chain: list[str] = []
        t: TypeExpr = type_
        while isinstance(t, TIndex):
            chain.append(t.key)
            t = t.obj
        chain.reverse()
        if len(chain) >= 3 and chain[-3] in ("Tables", "Views") and chain[-1] in ("Row", "Insert", "Update"):
            return self._table(chain[-2], None)
        return Fields([], False)

    def _table(self, table: str, where: Location | None) -> Fields:
        if self.tables is None or table not in self.tables:
            return Fields([], False, where)
        loc = where or Location("", _ZERO)
        return Fields([CodeField(c, loc) for c in self.tables[table]], True, where)


def _literal_keys(t: TypeExpr) -> list[tuple[str, Range | None]] | None:
    parts = t.parts if isinstance(t, TUnion) else (t,)
    keys: list[tuple[str, Range | None]] = []
    for p in parts:
        if not isinstance(p, TLit):
            return None
        keys.append((p.value, p.rng))
    return keys


def zod_fields(
    fields: tuple[ZField, ...], complete: bool, source: Location | None, insert: Insertion | None = None
) -> Fields:
    return Fields(
        [
            CodeField(
                f.name,
                f.loc if f.loc is not None else (source or Location("", _ZERO)),
                f.optional,
                f.bound,
                ("zod-shorthand" if f.shorthand else "zod") if f.loc is not None else "",
            )
            for f in fields
        ],
        complete,
        source,
        insert,
    )
