"""The synthetic project behind a benchmark workspace: tables, planned endpoints and the code's drift.

Everything is drawn from one seeded `random.Random`, using only calls whose algorithm is stable across
Python versions (`random`, `choice`, `shuffle`, `sample`), so a size always yields the same project and
figures stay comparable over time. The plans, the TypeScript and the SQL are rendered from this model by
the gen_* modules; the model holds the truth (what is planned) and the drift (what the code does instead),
in the proportions real projects show (a few percent of endpoints missing, unplanned, or with another
status or method).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

# (plural, singular, English title, Polish title)
NOUNS: tuple[tuple[str, str, str, str], ...] = (
    ("decks", "deck", "Decks", "Talie"),
    ("flashcards", "flashcard", "Flashcards", "Fiszki"),
    ("bookings", "booking", "Bookings", "Rezerwacje"),
    ("facilities", "facility", "Facilities", "Obiekty"),
    ("invoices", "invoice", "Invoices", "Faktury"),
    ("projects", "project", "Projects", "Projekty"),
    ("tasks", "task", "Tasks", "Zadania"),
    ("notes", "note", "Notes", "Notatki"),
    ("tags", "tag", "Tags", "Tagi"),
    ("comments", "comment", "Comments", "Komentarze"),
    ("households", "household", "Households", "Gospodarstwa domowe"),
    ("members", "member", "Members", "Członkowie"),
    ("budgets", "budget", "Budgets", "Budżety"),
    ("expenses", "expense", "Expenses", "Wydatki"),
    ("categories", "category", "Categories", "Kategorie"),
    ("accounts", "account", "Accounts", "Konta"),
    ("transactions", "transaction", "Transactions", "Transakcje"),
    ("recipes", "recipe", "Recipes", "Przepisy"),
    ("ingredients", "ingredient", "Ingredients", "Składniki"),
    ("meal_plans", "meal_plan", "Meal plans", "Plany posiłków"),
    ("workouts", "workout", "Workouts", "Treningi"),
    ("exercises", "exercise", "Exercises", "Ćwiczenia"),
    ("reports", "report", "Reports", "Raporty"),
    ("articles", "article", "Articles", "Artykuły"),
    ("sources", "source", "Sources", "Źródła"),
    ("reservations", "reservation", "Reservations", "Rezerwacje obiektów"),
    ("courses", "course", "Courses", "Kursy"),
    ("lessons", "lesson", "Lessons", "Lekcje"),
    ("chapters", "chapter", "Chapters", "Rozdziały"),
    ("quizzes", "quiz", "Quizzes", "Quizy"),
    ("questions", "question", "Questions", "Pytania"),
    ("answers", "answer", "Answers", "Odpowiedzi"),
    ("playlists", "playlist", "Playlists", "Playlisty"),
    ("tracks", "track", "Tracks", "Utwory"),
    ("events", "event", "Events", "Wydarzenia"),
    ("venues", "venue", "Venues", "Miejsca"),
    ("tickets", "ticket", "Tickets", "Bilety"),
    ("orders", "order", "Orders", "Zamówienia"),
    ("products", "product", "Products", "Produkty"),
    ("suppliers", "supplier", "Suppliers", "Dostawcy"),
    ("shipments", "shipment", "Shipments", "Przesyłki"),
    ("warehouses", "warehouse", "Warehouses", "Magazyny"),
    ("vehicles", "vehicle", "Vehicles", "Pojazdy"),
    ("drivers", "driver", "Drivers", "Kierowcy"),
    ("routes", "route", "Routes", "Trasy"),
    ("patients", "patient", "Patients", "Pacjenci"),
    ("appointments", "appointment", "Appointments", "Wizyty"),
    ("prescriptions", "prescription", "Prescriptions", "Recepty"),
    ("documents", "document", "Documents", "Dokumenty"),
    ("templates", "template", "Templates", "Szablony"),
    ("contracts", "contract", "Contracts", "Umowy"),
    ("clients", "client", "Clients", "Klienci"),
    ("leads", "lead", "Leads", "Leady"),
    ("campaigns", "campaign", "Campaigns", "Kampanie"),
    ("newsletters", "newsletter", "Newsletters", "Newslettery"),
    ("subscriptions", "subscription", "Subscriptions", "Subskrypcje"),
    ("payments", "payment", "Payments", "Płatności"),
    ("vacations", "vacation", "Vacations", "Urlopy"),
    ("shifts", "shift", "Shifts", "Zmiany"),
    ("goals", "goal", "Goals", "Cele"),
    ("habits", "habit", "Habits", "Nawyki"),
    ("journals", "journal", "Journals", "Dzienniki"),
    ("photos", "photo", "Photos", "Zdjęcia"),
    ("albums", "album", "Albums", "Albumy"),
)
PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("", "", ""),
    ("team_", "Team ", " zespołu"),
    ("shared_", "Shared ", " współdzielone"),
)

# (name, sql type, TypeScript type, zod expression, nullable)
COLUMN_POOL: tuple[tuple[str, str, str, str, bool], ...] = (
    ("name", "varchar(200)", "string", "z.string().trim().min(1).max(200)", False),
    ("title", "text", "string", "z.string().min(1).max(300)", False),
    ("description", "text", "string | null", "z.string().max(5000).nullable()", True),
    ("status", "text", "string", 'z.enum(["draft", "active", "archived"])', False),
    ("amount", "numeric(10,2)", "number", "z.number().nonnegative()", False),
    ("quantity", "integer", "number", "z.number().int().min(0)", False),
    ("position", "integer", "number", "z.number().int().min(0)", False),
    ("due_date", "date", "string | null", "z.string().date().nullable()", True),
    ("starts_at", "timestamptz", "string", "z.string().datetime()", False),
    ("is_active", "boolean", "boolean", "z.boolean()", False),
    ("metadata", "jsonb", "Json | null", "z.record(z.unknown()).nullable()", True),
    ("notes", "text", "string | null", "z.string().max(2000).nullable()", True),
    ("color", "varchar(7)", "string | null", "z.string().regex(/^#[0-9a-f]{6}$/i).nullable()", True),
    ("email", "varchar(255)", "string", "z.string().email()", False),
    ("url", "text", "string | null", "z.string().url().nullable()", True),
    ("rating", "smallint", "number | null", "z.number().int().min(1).max(5).nullable()", True),
    ("labels", "text[]", "string[]", "z.array(z.string().max(50)).max(20)", False),
    ("language", "varchar(8)", "string", 'z.enum(["pl", "en"])', False),
    ("priority", "smallint", "number", "z.number().int().min(1).max(3)", False),
    ("external_ref", "varchar(64)", "string | null", "z.string().max(64).nullable()", True),
)
ACTIONS = ("archive", "duplicate", "publish", "share", "export", "restore", "reorder", "complete")
ERRORS_BY_KIND: dict[str, tuple[int, ...]] = {
    "list": (400, 401, 500),
    "create": (400, 401, 409, 422, 500),
    "get": (401, 404, 500),
    "update": (400, 401, 404, 409, 500),
    "delete": (401, 404, 500),
    "action": (400, 401, 404, 409, 500),
    "nested": (401, 404, 500),
}
SUCCESS_BY_KIND = {
    "list": 200,
    "create": 201,
    "get": 200,
    "update": 200,
    "delete": 204,
    "action": 200,
    "nested": 200,
}
METHOD_BY_KIND = {
    "list": "GET",
    "create": "POST",
    "get": "GET",
    "update": "PATCH",
    "delete": "DELETE",
    "action": "POST",
    "nested": "GET",
}
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    ts_type: str
    zod: str
    nullable: bool
    references: str | None = None  # table name for foreign keys

    @property
    def camel(self) -> str:
        head, *rest = self.name.split("_")
        return head + "".join(p.title() for p in rest)


@dataclass(frozen=True)
class Table:
    name: str
    singular: str
    title_en: str
    title_pl: str
    columns: tuple[Column, ...]
    parent: str | None = None

    @property
    def pascal(self) -> str:
        return "".join(p.title() for p in self.singular.split("_"))

    @property
    def camel_plural(self) -> str:
        head, *rest = self.name.split("_")
        return head + "".join(p.title() for p in rest)

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    @property
    def param(self) -> str:
        head, *rest = self.singular.split("_")
        return head + "".join(p.title() for p in rest) + "Id"

    def domain_columns(self) -> tuple[Column, ...]:
        fixed = {"id", "user_id", "created_at", "updated_at"}
        return tuple(c for c in self.columns if c.name not in fixed)


@dataclass(frozen=True)
class Endpoint:
    """One endpoint as the plan states it (and, after drift, as the code serves it)."""

    method: str
    path: str  # `/api/decks/{deckId}`: always `{name}` parameters here; notations rewrite them
    table: str
    kind: str
    success: int
    errors: tuple[int, ...]
    request_fields: tuple[str, ...]
    response_fields: tuple[str, ...]
    action: str = ""
    child: str = ""

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Drift:
    """How the code departs from the plan (counts are deterministic per size)."""

    missing: tuple[str, ...] = ()  # planned endpoint keys with no route
    unplanned: tuple[str, ...] = ()  # route keys not in the plan
    status_changed: tuple[str, ...] = ()  # planned keys whose success status differs in the code
    method_changed: tuple[str, ...] = ()  # planned PATCH served as PUT
    tables_missing: tuple[str, ...] = ()  # planned tables no migration creates
    rls_left_off: tuple[str, ...] = ()  # tables whose RLS ends disabled


@dataclass(frozen=True)
class Project:
    name: str
    seed: int
    tables: tuple[Table, ...]
    planned: tuple[Endpoint, ...]
    served: tuple[Endpoint, ...]
    drift: Drift
    polish_tables: frozenset[str] = field(default_factory=frozenset)  # sections written in Polish

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


def _tables(rng: random.Random, count: int) -> list[Table]:
    names: list[tuple[str, str, str, str]] = []
    for prefix, en_pre, pl_post in PREFIXES:
        for plural, singular, en, pl in NOUNS:
            names.append(
                (prefix + plural, prefix + singular, en_pre + en.lower() if en_pre else en, pl + pl_post)
            )
    if count > len(names):
        raise ValueError(f"at most {len(names)} tables can be generated")
    chosen = names[:count]
    tables: list[Table] = []
    for i, (plural, singular, en, pl) in enumerate(chosen):
        picked = rng.sample(range(len(COLUMN_POOL)), rng.choice((3, 4, 5, 5, 6, 7)))
        cols = [
            Column("id", "uuid", "string", "z.string().uuid()", False),
            Column("user_id", "uuid", "string", "z.string().uuid()", False, "auth.users"),
        ]
        parent = None
        if i > 0 and rng.random() < 0.4:
            parent_table = tables[rng.choice(range(len(tables)))]
            parent = parent_table.name
            cols.append(
                Column(parent_table.singular + "_id", "uuid", "string", "z.string().uuid()", False, parent)
            )
        for idx in sorted(picked):
            name, sql, ts, zod, nullable = COLUMN_POOL[idx]
            cols.append(Column(name, sql, ts, zod, nullable))
        cols.append(Column("created_at", "timestamptz", "string", "z.string().datetime()", False))
        cols.append(Column("updated_at", "timestamptz", "string", "z.string().datetime()", False))
        tables.append(Table(plural, singular, en, pl, tuple(cols), parent))
    return tables


def _endpoint(table: Table, kind: str, action: str = "", child: Table | None = None) -> Endpoint:
    base = f"/api/{table.slug}"
    item = f"{base}/{{{table.param}}}"
    path = {
        "list": base,
        "create": base,
        "get": item,
        "update": item,
        "delete": item,
        "action": f"{item}/{action}",
        "nested": f"{item}/{child.slug if child else ''}",
    }[kind]
    domain = tuple(c.name for c in table.domain_columns())
    request = domain if kind in ("create", "update") else ()
    response: tuple[str, ...] = () if kind == "delete" else ("id", *domain, "created_at")
    return Endpoint(
        METHOD_BY_KIND[kind],
        path,
        table.name,
        kind,
        SUCCESS_BY_KIND[kind],
        ERRORS_BY_KIND[kind],
        request,
        response,
        action,
        child.name if child else "",
    )


def _planned(rng: random.Random, tables: list[Table], count: int) -> list[Endpoint]:
    """Spread `count` endpoints over the tables: CRUD first, then actions and nested lists."""
    # Skewed like real plans: a few central resources carry many endpoints, most carry a few.
    cap = 5 + len(ACTIONS)
    if count < len(tables) or count > cap * len(tables):
        raise ValueError(f"{count} endpoints cannot be spread over {len(tables)} tables")
    weights = [rng.random() ** 2 + 0.05 for _ in tables]
    per = [1] * len(tables)
    for _ in range(count - len(tables)):
        open_ = [i for i in range(len(tables)) if per[i] < cap]
        total = sum(weights[i] for i in open_)
        r = rng.random() * total
        for i in open_:
            r -= weights[i]
            if r <= 0:
                break
        per[i] += 1
    out: list[Endpoint] = []
    for table, n in zip(tables, per, strict=True):
        kinds = ["list", "create", "get", "update", "delete"]
        chosen: list[Endpoint] = [_endpoint(table, k) for k in kinds[: min(n, len(kinds))]]
        actions = list(ACTIONS)
        rng.shuffle(actions)
        children = [t for t in tables if t.parent == table.name]
        while len(chosen) < n:
            if children and rng.random() < 0.3:
                chosen.append(_endpoint(table, "nested", child=children.pop()))
            else:
                chosen.append(_endpoint(table, "action", action=actions.pop()))
        out.extend(chosen)
    return out


def _pick(rng: random.Random, items: list[Endpoint], share: float) -> list[Endpoint]:
    n = max(1, round(len(items) * share)) if items else 0
    return rng.sample(items, min(n, len(items)))


def build_project(name: str, seed: int, n_tables: int, n_endpoints: int) -> Project:
    rng = random.Random(seed)
    tables = _tables(rng, n_tables)
    planned = _planned(rng, tables, n_endpoints)

    # The code's drift: missing routes, unplanned routes, changed statuses and methods.
    candidates = [e for e in planned if e.kind not in ("list", "create")]
    missing = _pick(rng, candidates, 0.04)
    rest = [e for e in planned if e not in missing]
    status_changed = _pick(rng, [e for e in rest if e.kind in ("create", "delete")], 0.08)
    method_changed = _pick(rng, [e for e in rest if e.kind == "update" and e not in status_changed], 0.08)
    served: list[Endpoint] = []
    for e in rest:
        if e in status_changed:
            served.append(replace(e, success=200))
        elif e in method_changed:
            served.append(replace(e, method="PUT"))
        else:
            served.append(e)
    unplanned: list[Endpoint] = []
    planned_keys = {e.key for e in planned}
    for table in rng.sample(tables, max(1, round(len(tables) * 0.1))):
        extra = replace(_endpoint(table, "action", action="stats"), method="GET")
        if extra.key not in planned_keys:
            unplanned.append(extra)
    served.extend(unplanned)

    tables_missing = [t.name for t in rng.sample(tables, max(1, round(len(tables) * 0.03)))]
    rls_off = [t.name for t in rng.sample(tables, max(1, round(len(tables) * 0.05)))]
    polish = frozenset(t.name for t in tables if rng.random() < 0.35)
    drift = Drift(
        tuple(e.key for e in missing),
        tuple(e.key for e in unplanned),
        tuple(e.key for e in status_changed),
        tuple(e.key for e in method_changed),
        tuple(tables_missing),
        tuple(rls_off),
    )
    return Project(name, seed, tuple(tables), tuple(planned), tuple(served), drift, polish)
