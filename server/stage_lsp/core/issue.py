"""Problems found while reading a file (a plan that cannot be read, SQL that does not parse).

Readers never raise on user text: they return what they could read plus `ReaderIssue`s. Each issue carries
the code of the rule that documents it (SL0xx for plans, SL4xx/SL9xx for code and files); that rule's
module re-emits it as a Violation, so reader problems are configured, suppressed and rendered like any
other finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from stage_lsp.core.location import Location
from stage_lsp.core.violation import Related


@dataclass(frozen=True, slots=True)
class ReaderIssue:
    code: str
    location: Location
    message: str
    entity: tuple[str, ...] = ()  # keys for the fingerprint (never line numbers)
    related: tuple[Related, ...] = ()
