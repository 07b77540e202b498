"""Fixes of the field and status rules (SL201, SL301-SL306): edit the code or amend the plan. Not a rule.

Every edit is written where a reader found an insertion point (`FieldSet.insert`, `PlanEndpoint.
request_insert` / `response_insert` / `status_insert`) or over a name a reader located, in the notation
the place already uses (its separators, indentation and quotes); without such a point there is no fix.
All are unsafe: a schema that accepts one more field, a renamed key or an amended plan changes what
clients see, and the rest of the code may still use the old name.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from stage_lsp.code.model import CodeField, FieldSet
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, Fix, TextEdit
from stage_lsp.plan.model import PlanEndpoint, PlanField, PlanInsertion
from stage_lsp.rules._scaffold_route import zod_for

IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")
_PLAN_KEY = re.compile(r"^[A-Za-z_$@][\w$\-]*$")  # a key the plan reader reads back (jsonish `_IDENT`)
_WORD = re.compile(r"\b(int|integer|number|float|decimal|bool|boolean)\b")


def ts_type_for(field: PlanField) -> str:
    """A TypeScript type from the plan's type hint (`uuid` -> string, `integer` -> number, ...)."""
    hint = (field.type_hint or "").lower()
    m = _WORD.search(hint)
    if "[]" in hint or "array" in hint:
        base = "unknown[]"
    elif m and m.group(1) in ("bool", "boolean"):
        base = "boolean"
    elif m:
        base = "number"
    else:
        base = "string"
    return base + (" | null" if "null" in hint else "")


def _key(name: str) -> str:
    return name if IDENT.match(name) else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_code_field(planned: PlanField, served: FieldSet, side: str) -> Fix | None:
    """SL301/SL304: append the planned field to the zod schema or the DTO type the fields come from."""
    ins = served.insert
    if ins is None or ins.kind not in ("zod", "type"):
        return None
    optional = planned.required is False or "optional" in (planned.type_hint or "").lower()
    if ins.kind == "zod":
        member = f"{_key(planned.name)}: {zod_for(planned)}"
        what = "schema"
    else:
        member = f"{_key(planned.name)}{'?' if optional else ''}: {ts_type_for(planned)}"
        what = "type"
    edit = TextEdit(ins.location, ins.lead + member + ins.trail)
    where = f"{ins.location.file}:{ins.location.range.line + 1}"
    verb = "Accept" if side == "request" else "Return"
    return Fix(f"{verb} `{planned.name}`: add it to the {what} ({where})", Applicability.UNSAFE, (edit,))


def rename_code_field(field: CodeField, name: str) -> Fix | None:
    """SL303/SL306: write the planned name where the code writes the field's key, keeping its quotes; a
    shorthand key (`{ deckId }`) keeps its variable (`deck_id: deckId`)."""
    r = field.location.range
    if field.kind not in ("zod", "type", "literal", "zod-shorthand", "literal-shorthand"):
        return None
    if r.line != r.end_line or '"' in name or "'" in name or "\\" in name or "\n" in name:
        return None
    width = r.end_col - r.col
    if field.kind.endswith("-shorthand"):
        if width != len(field.name):
            return None
        text = f"{_key(name)}: {field.name}"
        at = field.location
    elif width == len(field.name):  # a bare key
        text, at = _key(name), field.location
    elif width == len(field.name) + 2:  # a quoted key: replace what is inside the quotes
        text, at = name, Location(field.location.file, Range(r.line, r.col + 1, r.line, r.end_col - 1))
    else:
        return None  # escapes or a computed key: not written as its name
    return Fix(f"Rename `{field.name}` to `{name}` as planned", Applicability.UNSAFE, (TextEdit(at, text),))


def rename_plan_field(planned: PlanField, name: str) -> Fix | None:
    """SL303/SL306 the other way: the plan takes the name the code uses (the key's text, not its quotes)."""
    r = planned.location.range
    if not _PLAN_KEY.match(name) or r.line != r.end_line or r.end_col - r.col != len(planned.name):
        return None
    return Fix(
        f"Rename `{planned.name}` to `{name}` in the plan ({planned.location.file})",
        Applicability.UNSAFE,
        (TextEdit(planned.location, name),),
    )


def add_plan_field(endpoint: PlanEndpoint, side: str, field: CodeField) -> Fix | None:
    """SL302/SL305: append the field the code uses to the endpoint's planned body."""
    ins = endpoint.request_insert if side == "request" else endpoint.response_insert
    if ins is None or not _PLAN_KEY.match(field.name):
        return None
    note = ", optional" if field.optional else ""
    if ins.style == "json":
        q = ins.quote
        member = f"{q}{field.name}{q}: {q}TODO(stage-lsp): type{note}{q}"
    else:
        member = f"{field.name}{'?' if field.optional else ''}: unknown"
    return _amend(ins, member, f"Add `{field.name}` to the planned {side} body")


def add_plan_status(
    endpoint: PlanEndpoint, status: int, code: str | None, *, for_code: bool = False
) -> Fix | None:
    """SL201: add the status (and the error code the handler answers it with) to the endpoint's list of
    error statuses, as a line like the ones there. SL211 (`for_code`): the same line, for the code."""
    ins = endpoint.status_insert
    if ins is None or status < 400:
        return None
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    q = "`" if ins.style == "code" else ""
    item = f"{q}{status}{' ' + phrase if phrase else ''}{q}" + (f" — {q}{code}{q}" if code else "")
    what = f"`{code}` ({status})" if for_code and code else f"`{status}`"
    return _amend(ins, item, f"Add {what} to the statuses of `{endpoint.method} {endpoint.path}`")


def _amend(ins: PlanInsertion, item: str, title: str) -> Fix:
    where = f"{ins.location.file}:{ins.location.range.line + 1}"
    return Fix(
        f"{title} ({where})", Applicability.UNSAFE, (TextEdit(ins.location, ins.lead + item + ins.trail),)
    )
