"""The report's data: frozen, renderer-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stage_lsp.core.location import Location

Status = Literal["implemented", "drifted", "missing", "later"]
AREAS = ("endpoints", "statuses", "fields", "tables", "policies", "project rules")


@dataclass(frozen=True)
class Item:
    area: str
    label: str  # "POST /api/decks", "decks", "decks: update"
    status: Status
    plan: Location | None
    code: Location | None
    findings: tuple[tuple[str, str], ...] = ()  # (code, message)
    user_stories: tuple[str, ...] = ()
    order: int = 0  # the plan's own order


@dataclass(frozen=True)
class StageSummary:
    number: int
    title: str
    implicit: bool
    current: bool
    items: tuple[Item, ...]

    def count(self, area: str | None = None) -> dict[str, int]:
        chosen = [i for i in self.items if area is None or i.area == area]
        out = {"planned": len(chosen)}
        for status in ("implemented", "drifted", "missing", "later"):
            out[status] = sum(1 for i in chosen if i.status == status)
        return out

    @property
    def coverage(self) -> float | None:
        """Share of the items due now that are done; None when nothing is due yet (a later stage)."""
        counted = [i for i in self.items if i.status != "later"]
        return sum(1 for i in counted if i.status == "implemented") / len(counted) if counted else None


@dataclass(frozen=True)
class WorkItem:
    title: str
    kind: str  # "create table", "implement endpoint", "fix drift"
    done_when: tuple[str, ...]
    plan: Location | None
    items: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Report:
    root: str
    stages: tuple[StageSummary, ...]
    current_stage: int | None
    next_items: tuple[WorkItem, ...]
