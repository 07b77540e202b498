"""Names as stage-lsp compares them: lower case, `public.` dropped, other schemas kept (`auth.users`).

Unquoted identifiers are already lower case after parsing; quoted ones (`"Decks"`) are folded too, because
plans and generated types do not keep the quoting. `UNKNOWN` stands for a name only known at run time
(a dynamic-SQL argument that could not be resolved).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

UNKNOWN = "__stage_lsp_unknown__"
DEFAULT_SCHEMAS = frozenset({"public", "pg_catalog"})


def qualified(parts: Iterable[str | None]) -> str:
    """`public.Decks` -> `decks`; `auth.users` stays; empty parts are skipped."""
    names = [p.lower() for p in parts if p]
    while len(names) > 1 and names[0] in DEFAULT_SCHEMAS:
        names = names[1:]
    return ".".join(names)


def range_var_name(rv: Any) -> str:
    """The table named by a RangeVar (a JSON dict: catalogname, schemaname, relname)."""
    if not isinstance(rv, dict):
        return ""
    return qualified((rv.get("catalogname"), rv.get("schemaname"), rv.get("relname")))


def string_list_name(items: Iterable[Any]) -> str:
    """A name given as a JSON list of String nodes (types, functions, dropped objects)."""
    names: list[str | None] = []
    for item in items or ():
        inner = item.get("String") if isinstance(item, dict) else None
        names.append(inner.get("sval") if isinstance(inner, dict) else None)
    return qualified(names)


def is_unknown(name: str | None) -> bool:
    return name is not None and UNKNOWN in name
