"""The plans of a synthetic project: `.ai/api-plan.md`, `.ai/db-plan.md`, `.ai/stages-plan.md`, `.ai/prd.md`.

They follow the 10xDevs templates real projects use and mix the notations FORMATS.md lists (sections a
and b), one per resource section: endpoint headings, field bullets (`- **Method**:` / `- **Path**:`),
bullets with a bold method and path, table rows, bold method then code path; `{id}` and `:id` parameters;
statuses as `Response (201 Created)`, `Success:`, `Odpowiedź 200`, `Błędy: 401, 404`, error-code bullets.
DB tables as markdown column tables (English or Polish headers), bullet columns, or SQL DDL fences; RLS
as SQL or prose. Sections about a resource are in Polish for about a third of the resources.
"""

from __future__ import annotations

import json
import random

from benchmarks.gen_model import REASONS, Endpoint, Project, Table
from benchmarks.gen_routes import ERROR_CODES

NOTATIONS = ("heading",) * 9 + ("fields",) * 4 + ("bold_bullet",) * 3 + ("table",) * 2 + ("bold_code",) * 2
SAMPLE_VALUES = {
    "uuid": '"uuid"',
    "text": '"string"',
    "integer": "0",
    "smallint": "1",
    "boolean": "true",
    "date": '"2025-06-01"',
    "timestamptz": '"2025-06-01T10:00:00Z"',
    "jsonb": "{}",
    "numeric(10,2)": "12.5",
    "text[]": '["string"]',
}


def _path(ep: Endpoint, colon: bool) -> str:
    if not colon:
        return ep.path
    out = []
    for seg in ep.path.split("/"):
        out.append(":" + seg[1:-1] if seg.startswith("{") else seg)
    return "/".join(out)


def _describe(ep: Endpoint, t: Table, pl: bool) -> str:
    what_pl = t.title_pl.lower()
    what_en = t.title_en.lower()
    if pl:
        return {
            "list": f"Zwraca stronicowaną listę zasobu „{what_pl}” zalogowanego użytkownika.",
            "create": f"Tworzy nowy rekord w „{what_pl}”; właścicielem zostaje zalogowany użytkownik.",
            "get": f"Zwraca szczegóły jednego rekordu z „{what_pl}”.",
            "update": f"Częściowo aktualizuje rekord z „{what_pl}” (tylko przesłane pola).",
            "delete": f"Usuwa rekord z „{what_pl}” wraz z zależnymi danymi.",
            "action": f"Wykonuje operację `{ep.action}` na rekordzie z „{what_pl}”.",
            "nested": f"Zwraca rekordy powiązane z jednym elementem „{what_pl}”.",
        }[ep.kind]
    return {
        "list": f"Returns a paginated list of the signed-in user's {what_en}.",
        "create": f"Creates a new record in {what_en}, owned by the signed-in user.",
        "get": f"Returns one record of {what_en}.",
        "update": f"Partially updates a record of {what_en} (only the fields sent).",
        "delete": f"Deletes a record of {what_en} and its dependent rows.",
        "action": f"Runs the `{ep.action}` operation on a record of {what_en}.",
        "nested": f"Returns the records linked to one of the {what_en}.",
    }[ep.kind]


def _json(fields: tuple[str, ...], t: Table) -> list[str]:
    types = {c.name: c.sql_type for c in t.columns}
    body = {f: "__" + f for f in fields}
    text = json.dumps(body, indent=2, ensure_ascii=False)
    for f in fields:
        sql = types.get(f, "text")
        value = SAMPLE_VALUES.get(sql, '"string"')
        if sql.startswith("varchar"):
            value = f'"string (max {sql[8:-1]} characters)"'
        text = text.replace(f'"__{f}"', value)
    return ["```json", *text.splitlines(), "```"]


def _title(ep: Endpoint, t: Table, pl: bool) -> str:
    if pl:
        verb = {
            "list": "Lista",
            "create": "Utworzenie",
            "get": "Szczegóły",
            "update": "Aktualizacja",
            "delete": "Usunięcie",
            "action": f"Operacja {ep.action}",
            "nested": "Powiązane rekordy",
        }[ep.kind]
        return f"{verb}: {t.title_pl.lower()}"
    verb = {
        "list": "List",
        "create": "Create",
        "get": "Get",
        "update": "Update",
        "delete": "Delete",
        "action": ep.action.title(),
        "nested": "List children of",
    }[ep.kind]
    return f"{verb} {t.title_en.lower()}"


def _errors(ep: Endpoint, pl: bool, style: str) -> list[str]:
    if style == "bullets":
        return ["", "**Błędy:**" if pl else "**Errors:**"] + [
            f"- `{e} {REASONS[e]}` — `{ERROR_CODES.get(e, 'ERROR')}`" for e in ep.errors
        ]
    if pl:
        return ["- Błędy: " + ", ".join(str(e) for e in ep.errors)]
    return ["- **Errors:** " + ", ".join(f"{e} {REASONS[e]}" for e in ep.errors)]


def _details(ep: Endpoint, t: Table, pl: bool, rng: random.Random) -> list[str]:
    out = ["", _describe(ep, t, pl), ""]
    if ep.kind == "list":
        if pl:
            out += [
                "- Parametry zapytania: `page` (int, domyślnie 1), `limit` (int, domyślnie 20, max 100)",
                "",
            ]
        else:
            out += [
                "**Query Parameters:**",
                "- `page` (optional, default 1)",
                "- `limit` (optional, max 100)",
                "",
            ]
    if ep.request_fields:
        out += ["**Ładunek żądania:**" if pl else "**Request Body:**", *_json(ep.request_fields, t), ""]
    ok = f"{ep.success} {REASONS[ep.success]}"
    style = rng.choice(("response", "response", "success", "codes"))
    if style == "response":
        # The status labels the response body: `**Response (201 Created):**` / `- Odpowiedź 200:`.
        out.append(f"- Odpowiedź {ep.success}:" if pl else f"**Response ({ok}):**")
        if ep.response_fields:
            out += _json(ep.response_fields, t)
        out += _errors(ep, pl, "bullets" if rng.random() < 0.6 else "inline")
        return out
    if ep.response_fields:
        out += ["**Ładunek odpowiedzi:**" if pl else "**Response Body:**", *_json(ep.response_fields, t), ""]
    if style == "success":
        out.append(f"- **Sukces**: `{ok}`" if pl else f"- **Success:** `{ok}`")
    else:
        out.append(f"- Kody powodzenia: {ok}." if pl else f"- Status Codes: {ok}")
    out += _errors(ep, pl, "bullets" if rng.random() < 0.4 else "inline")
    return out


def _section(t: Table, eps: list[Endpoint], notation: str, pl: bool, rng: random.Random) -> list[str]:
    colon = rng.random() < 0.3
    out = [f"### {t.title_pl if pl else t.title_en}", ""]
    if notation == "table":
        out += [
            "| Metoda | Ścieżka | Opis | Sukces | Błędy |"
            if pl
            else "| Method | Path | Description | Success | Errors |",
            "|---|---|---|---|---|",
        ]
        for ep in eps:
            desc = _describe(ep, t, pl).replace("|", "/")
            errs = ", ".join(str(e) for e in ep.errors)
            out.append(f"| {ep.method} | `{_path(ep, colon)}` | {desc} | {ep.success} | {errs} |")
        out.append("")
        for ep in eps:
            if ep.request_fields:
                out += [f"Body `{ep.method} {_path(ep, colon)}`:", *_json(ep.request_fields, t), ""]
        return out
    for ep in eps:
        p = _path(ep, colon)
        if notation == "heading":
            style = rng.choice(("plain", "plain", "plain", "code", "bold"))
            label = {
                "plain": f"{ep.method} {p}",
                "code": f"`{ep.method} {p}`",
                "bold": f"**{ep.method} {p}**",
            }
            out += [f"#### {label[style]}", *_details(ep, t, pl, rng), ""]
        elif notation == "fields":
            out += [f"#### {_title(ep, t, pl)}", ""]
            out += [f"- **Metoda**: `{ep.method}`" if pl else f"- **Method**: `{ep.method}`"]
            out += [f"- **Ścieżka**: `{p}`" if pl else f"- **Path**: `{p}`"]
            out += [*_details(ep, t, pl, rng), ""]
        elif notation == "bold_bullet":
            out += [f"- **{ep.method} `{p}`**"]
            desc = _describe(ep, t, pl)
            out += [f"  - Opis: {desc}" if pl else f"  - Description: {desc}"]
            ok = f"{ep.success} {REASONS[ep.success]}"
            out += [f"  - Sukces: {ok}" if pl else f"  - Success: {ok}"]
            errs = "; ".join(f"{e} `{ERROR_CODES.get(e, 'ERROR')}`" for e in ep.errors)
            out += [f"  - Błędy: {errs}" if pl else f"  - Errors: {errs}", ""]
        else:  # bold_code
            out += [f"**{ep.method}** `{p}`", *_details(ep, t, pl, rng), ""]
    return out


def api_plan(project: Project, rng: random.Random) -> str:
    out = [
        f"# REST API Plan — {project.name}",
        "",
        "## 1. Resources",
        "",
        "| Resource | Database table |",
        "|---|---|",
        *[f"| {t.title_en} | `{t.name}` |" for t in project.tables],
        "",
        "## 2. Endpoints",
        "",
        "Base URL: `/api`. Every endpoint requires a Supabase session unless stated otherwise.",
        "",
    ]
    for t in project.tables:
        eps = [e for e in project.planned if e.table == t.name]
        if eps:
            out += _section(t, eps, rng.choice(NOTATIONS), t.name in project.polish_tables, rng)
    out += [
        "## 3. Authentication and Authorization",
        "",
        "- Supabase Auth (JWT in an HTTP-only cookie); the middleware puts the client in `locals.supabase`.",
        "- Row-level security limits every query to the owner's rows (`user_id = auth.uid()`).",
        "",
        "## 4. Validation and Business Logic",
        "",
        "- Request bodies are validated with zod; a failure returns `400 Bad Request` with `VALIDATION_ERROR`.",
        "- Walidacja po stronie serwera: pola tekstowe są przycinane, a limity długości sprawdzane przed zapisem.",
        "- Lists are paginated (`page`, `limit` ≤ 100) and sorted by `created_at` descending.",
        "",
    ]
    return "\n".join(out)


def _column_row(c_name: str, sql: str, constraints: str, pl: bool) -> str:
    desc = (
        "identyfikator"
        if c_name == "id" and pl
        else ("identifier" if c_name == "id" else c_name.replace("_", " "))
    )
    return f"| `{c_name}` | `{sql}` | `{constraints}` | {desc} |"


def _constraints(t: Table, name: str) -> str:
    c = next(c for c in t.columns if c.name == name)
    if name == "id":
        return "PRIMARY KEY DEFAULT gen_random_uuid()"
    if c.references == "auth.users":
        return "NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE"
    if c.references:
        return f"NOT NULL REFERENCES {c.references}(id) ON DELETE CASCADE"
    if name in ("created_at", "updated_at"):
        return "NOT NULL DEFAULT now()"
    return "NULL" if c.nullable else "NOT NULL"


def _db_table(t: Table, notation: str, pl: bool) -> list[str]:
    out = [f"### {t.name}", ""]
    if notation == "md_table":
        out += [
            "| Kolumna | Typ | Ograniczenia | Opis |"
            if pl
            else "| Column | Type | Constraints | Description |",
            "|---|---|---|---|",
        ]
        out += [_column_row(c.name, c.sql_type, _constraints(t, c.name), pl) for c in t.columns]
    elif notation == "bullets":
        for c in t.columns:
            out.append(f"- `{c.name}` {c.sql_type.upper()} {_constraints(t, c.name)}")
    else:
        out += ["```sql", f"CREATE TABLE {t.name} ("]
        defs = [f"    {c.name} {c.sql_type.upper()} {_constraints(t, c.name)}" for c in t.columns]
        out += [",\n".join(defs), ");", "```"]
    return [*out, ""]


def db_plan(project: Project, rng: random.Random) -> str:
    out = ["# Schemat bazy danych", "", "## 1. Lista tabel z ich kolumnami", ""]
    for t in project.tables:
        pl = t.name in project.polish_tables
        out += _db_table(t, rng.choice(("md_table", "md_table", "bullets", "sql")), pl)
    out += ["## 2. Relacje między tabelami", ""]
    for t in project.tables:
        out.append(f"- `{t.name}.user_id` → `auth.users.id` (jeden-do-wielu)")
        if t.parent:
            out.append(f"- `{t.name}.{project.table(t.parent).singular}_id` → `{t.parent}.id` (one-to-many)")
    out += ["", "## 3. Indeksy", "", "```sql"]
    out += [f"CREATE INDEX idx_{t.name}_user_id ON {t.name} (user_id);" for t in project.tables[::2]]
    out += ["```", ""]
    out += [f"- indeks na `{t.name}(user_id)`" for t in project.tables[1::2]]
    out += ["", "## 4. Zasady PostgreSQL (RLS)", ""]
    for i, t in enumerate(project.tables):
        if i % 3 == 0:
            out += [
                "```sql",
                f"ALTER TABLE {t.name} ENABLE ROW LEVEL SECURITY;",
                f"CREATE POLICY {t.name}_owner ON {t.name} FOR ALL USING (user_id = auth.uid());",
                "```",
            ]
        elif i % 3 == 1:
            out += [
                f"- **{t.name}**: RLS włączone; SELECT/INSERT/UPDATE/DELETE tylko gdy `user_id = auth.uid()`.",
            ]
        else:
            out += [f"- `{t.name}`: _USING_: `user_id = auth.uid()` / _WITH CHECK_: `user_id = auth.uid()`"]
    out += ["", "## 5. Uwagi", "", "- Wszystkie znaczniki czasu w UTC (`timestamptz`).", ""]
    return "\n".join(out)


def stages_plan(project: Project, rng: random.Random) -> str:
    per_stage = 10
    eps = list(project.planned)
    out = ["# Plan etapów", ""]
    done_tables: set[str] = set()
    for n, start in enumerate(range(0, len(eps), per_stage), start=1):
        chunk = eps[start : start + per_stage]
        pl = rng.random() < 0.5
        out += [f"## Etap {n} — zakres {n}" if pl else f"## Stage {n} — scope {n}", ""]
        tables = sorted({e.table for e in chunk} - done_tables)
        done_tables |= set(tables)
        if tables:
            out.append(("- Tabele: " if pl else "- Tables: ") + ", ".join(f"`{t}` (new)" for t in tables))
        if rng.random() < 0.5:
            out += ["", "| Endpoint | Operacja | Status |", "|---|---|---|"]
            out += [f"| `{e.method} {e.path}` | {e.kind} | nowy |" for e in chunk]
        else:
            out += [f"- `{e.method} {e.path}` (new)" for e in chunk]
        out.append("")
    return "\n".join(out)


def prd(project: Project, rng: random.Random) -> str:
    out = [
        f"# Dokument wymagań produktu (PRD) - {project.name}",
        "",
        "## 1. Przegląd produktu",
        "",
        "Aplikacja webowa (Astro 5 + Supabase) do zarządzania danymi użytkownika. The MVP covers the "
        "resources listed in the API plan.",
        "",
        "## 2. Problem użytkownika",
        "",
        "Użytkownicy tracą czas na ręczne prowadzenie arkuszy; the product keeps everything in one place.",
        "",
        "## 3. Wymagania funkcjonalne",
        "",
    ]
    out += [f"- Zarządzanie zasobem „{t.title_pl}” (`{t.name}`)." for t in project.tables]
    out += ["", "## 4. Historyjki użytkowników", ""]
    for n, ep in enumerate(project.planned[::2], start=1):
        t = project.table(ep.table)
        pl = rng.random() < 0.5
        if pl:
            out += [
                f"### US-{n:03d} {t.title_pl}: {ep.kind}",
                f"Jako użytkownik chcę wykonać operację {ep.kind} na „{t.title_pl.lower()}” (`{ep.method} {ep.path}`).",
                "Kryteria akceptacji:",
                "- Operacja jest dostępna tylko dla zalogowanego użytkownika.",
                "- Błędne dane zwracają czytelny komunikat.",
            ]
        else:
            out += [
                f"### US-{n:03d} {t.title_en}: {ep.kind}",
                f"As a user I want to {ep.kind} {t.title_en.lower()} (`{ep.method} {ep.path}`).",
                "Acceptance criteria:",
                "- Only the signed-in owner can do it.",
                "- Invalid input returns a readable message.",
            ]
        out.append("")
    out += [
        "## 5. Metryki sukcesu",
        "",
        "- 75% of created records are edited at least once within a week.",
        "",
    ]
    return "\n".join(out)
