"""Mermaid `erDiagram` blocks: the columns they list for tables the plan defines elsewhere.

```
erDiagram
  WORKOUTS {
    uuid id PK
    uuid user_id FK
  }
```
Entity names are upper-cased table names; an entity that is not a table of the plan (`AUTH_USERS`) is not
read, so a diagram never defines a table on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.db.names import IDENT

_ENTITY = re.compile(rf"^\s*\"?(?P<name>{IDENT})\"?\s*\{{\s*$")
_ATTRIBUTE = re.compile(rf"^\s*(?P<type>[\w.\[\]()]+)\s+(?P<name>{IDENT})(?P<keys>(?:\s+(?:PK|FK|UK)\s*,?)*)")


@dataclass(frozen=True, slots=True)
class ErColumn:
    table: str
    name: str
    type: str
    primary_key: bool
    line: int  # offset in the fence body
    col: int


def read_er_diagram(body: str) -> list[ErColumn]:
    if "erDiagram" not in body:
        return []
    out: list[ErColumn] = []
    entity: str | None = None
    for n, line in enumerate(body.split("\n")):
        m = _ENTITY.match(line)
        if m:
            entity = m.group("name").lower()
            continue
        if line.strip() == "}":
            entity = None
            continue
        a = _ATTRIBUTE.match(line) if entity else None
        if a and entity:
            out.append(
                ErColumn(
                    entity,
                    a.group("name").lower(),
                    a.group("type").lower(),
                    "PK" in a.group("keys"),
                    n,
                    a.start("name"),
                )
            )
    return out
