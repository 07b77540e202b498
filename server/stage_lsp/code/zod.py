"""zod schemas as values: which keys an object schema has, which are optional, and upper bounds.

`construct` models `z.object({...})`, scalars (`z.string()`, `z.coerce.number()`, `z.enum`, ...),
`z.array`, `z.union`/`z.discriminatedUnion` (keys of every option; incomplete), `z.intersection`,
`z.preprocess(fn, schema)`. `chain` models the methods: `.extend`, `.merge`, `.and`, `.pick`, `.omit`,
`.partial`, `.required`, the refinements and wrappers that keep the keys (`.strict()`, `.refine()`,
`.transform()`, ...), and on fields `.optional()`/`.nullish()`/`.default()` and `.max(n)`/`.lte(n)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from stage_lsp.code.values import Vals, VArr, VNum, VObj, VUnknown, VZod, ZField
from stage_lsp.core.location import Location

_SCALARS = frozenset(
    {
        "string",
        "number",
        "boolean",
        "bigint",
        "date",
        "uuid",
        "email",
        "url",
        "any",
        "unknown",
        "literal",
        "enum",
        "nativeEnum",
        "null",
        "undefined",
        "void",
        "never",
        "nan",
        "int",
        "iso",
        "datetime",
        "file",
        "instanceof",
        "custom",
        "symbol",
        "templateLiteral",
        "stringbool",
    }
)
_KEEP = frozenset(
    {
        "strict",
        "strip",
        "passthrough",
        "catchall",
        "refine",
        "superRefine",
        "transform",
        "pipe",
        "describe",
        "brand",
        "readonly",
        "catch",
        "openapi",
        "check",
        "meta",
        "int",
        "positive",
        "nonnegative",
        "negative",
        "nonpositive",
        "finite",
        "safe",
        "min",
        "gte",
        "gt",
        "length",
        "nonempty",
        "email",
        "uuid",
        "url",
        "regex",
        "trim",
        "toLowerCase",
        "toUpperCase",
        "startsWith",
        "endsWith",
        "includes",
        "datetime",
        "date",
        "time",
        "cuid",
        "cuid2",
        "ulid",
        "ip",
        "multipleOf",
        "step",
        "nullable",
    }
)


def _first_zod(values: Vals) -> VZod | None:
    for v in values:
        if isinstance(v, VZod):
            return v
    return None


def _object(shape: Vals, loc: Location | None) -> VZod:
    fields: list[ZField] = []
    complete = True
    insert = None
    for value in shape:
        if not isinstance(value, VObj):
            return VZod("object", (), False, loc=loc)
        if value.insert is not None:
            insert = replace(value.insert, kind="zod")
        for entry in value.entries:
            if entry.key is None:
                spread = [s for s in entry.values if isinstance(s, VObj)]
                if len(spread) == len(entry.values) and spread:
                    inner = _object(tuple(spread), loc)
                    fields.extend(inner.fields)
                    complete = complete and inner.complete
                else:
                    complete = False
                continue
            field_schema = _first_zod(entry.values)
            fields.append(
                ZField(
                    entry.key,
                    entry.loc,
                    field_schema.optional if field_schema is not None else False,
                    field_schema.bound if field_schema is not None else None,
                    entry.shorthand,
                )
            )
        break
    return VZod("object", tuple(fields), complete, loc=loc, insert=insert)


def construct(path: tuple[str, ...], args: Sequence[Vals], site: Location) -> VZod | VUnknown:
    """`z.<path>(...)`."""
    if not path:
        return VUnknown("zod", site)
    name = path[-1]
    if name in ("object", "strictObject", "looseObject") and args:
        return _object(args[0], site)
    if name in _SCALARS or (len(path) >= 2 and path[-2] in ("coerce", "iso", "string")):
        return VZod("scalar", loc=site)
    if name == "array":
        return VZod("array", loc=site)
    if name in ("union", "discriminatedUnion") and args:
        options = args[-1] if name == "discriminatedUnion" else args[0]
        return _union(options, site)
    if name == "intersection" and len(args) >= 2:
        left, right = _first_zod(args[0]), _first_zod(args[1])
        if left is not None and right is not None:
            return _merge(left, right)
        return VZod("object", (), False, loc=site)
    if name == "preprocess" and len(args) >= 2:
        inner = _first_zod(args[1])
        return inner if inner is not None else VZod("other", complete=False, loc=site)
    if name in ("lazy", "record", "map", "set", "tuple", "function", "promise"):
        return VZod("other", complete=False, loc=site)
    return VZod("other", complete=False, loc=site)


def _union(options: Vals, site: Location) -> VZod:
    fields: dict[str, ZField] = {}
    for value in options:
        if isinstance(value, VArr):
            for item in value.items:
                schema = _first_zod(item)
                if schema is None or schema.kind != "object":
                    continue
                for f in schema.fields:
                    fields.setdefault(f.name, f)
    return VZod("object", tuple(fields.values()), False, loc=site)


def _merge(left: VZod, right: VZod) -> VZod:
    names = {f.name for f in right.fields}
    kept = tuple(f for f in left.fields if f.name not in names)
    insert = right.insert or left.insert  # a key added to the extension is in the result
    return VZod("object", kept + right.fields, left.complete and right.complete, loc=left.loc, insert=insert)


def _mask(values: Vals) -> set[str] | None:
    for v in values:
        if isinstance(v, VObj) and all(e.key is not None for e in v.entries):
            return {e.key for e in v.entries if e.key is not None}
    return None


def chain(schema: VZod, method: str, args: Sequence[Vals]) -> VZod | VUnknown:
    """`schema.<method>(...)`."""
    if method in ("optional", "nullish", "default", "exactOptional"):
        return replace(schema, optional=True)
    if method in ("max", "lte", "lt", "size") and args:
        bound = next((v.value for v in args[0] if isinstance(v, VNum)), None)
        if bound is not None and method == "lt":
            bound -= 1
        return replace(schema, bound=bound)
    if method in _KEEP:
        return schema
    if method == "array":
        return VZod("array", loc=schema.loc)
    if method in ("or",):
        other = _first_zod(args[0]) if args else None
        fields = schema.fields + (other.fields if other is not None else ())
        return VZod("object", fields, False, loc=schema.loc)
    if schema.kind != "object":
        return replace(schema, insert=None)
    if method in ("extend", "safeExtend") and args:
        extra = _object(args[0], schema.loc)
        return _merge(schema, extra)
    if method in ("merge", "and") and args:
        other = _first_zod(args[0])
        if other is None:
            return VZod("object", schema.fields, False, loc=schema.loc)
        return _merge(schema, other)
    if method in ("pick", "omit") and args:
        mask = _mask(args[0])
        if mask is None:
            return VZod("object", schema.fields, False, loc=schema.loc)
        picked = tuple(f for f in schema.fields if (f.name in mask) == (method == "pick"))
        keep = schema.insert if method == "omit" else None  # a key added to a picked base is dropped
        return VZod("object", picked, schema.complete, loc=schema.loc, insert=keep)
    if method in ("partial", "deepPartial", "required"):
        mask = _mask(args[0]) if args else None
        optional = method != "required"
        fields = tuple(
            replace(f, optional=optional if mask is None or f.name in mask else f.optional)
            for f in schema.fields
        )
        return VZod("object", fields, schema.complete, loc=schema.loc, insert=schema.insert)
    if method in ("keyof", "shape"):
        return VZod("other", complete=False, loc=schema.loc)
    return VZod("object", schema.fields, False, loc=schema.loc)
