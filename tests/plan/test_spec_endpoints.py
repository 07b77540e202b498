"""Endpoints a supplementary spec (auth-spec.md) names, wherever it names them."""

from __future__ import annotations

from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.spec_endpoints import read_spec_endpoints

SPEC = """\
# Sign-in module

The form posts to `POST /api/session/start` and, on success, redirects home.

### Endpoints
- **`POST /api/session/start`**: checks the credentials.
- **POST** `/api/session/end` – clears the cookies.
1. GET /api/session/callback?code=...: exchanges the code.
The form sends a `POST` request to `/api/session/renew`; the link wysyła zapytanie `DELETE` do `/api/session`.

```ts
await fetch("/api/session/end", { method: "POST" });
```
Not endpoints: a GET request, https://example.com/GET, POST //double, get /lower-case.
"""


def test_every_endpoint_mention_once_at_its_first_place() -> None:
    found = read_spec_endpoints(SourceFile.from_text(".ai/auth-spec.md", SPEC))
    assert [e.key for e in found] == [
        "POST /api/session/start",
        "POST /api/session/end",
        "GET /api/session/callback",
        "POST /api/session/renew",
        "DELETE /api/session",
    ]
    first = found[0]
    assert first.location.file == ".ai/auth-spec.md"
    assert first.location.range == Range(2, 19, 2, 42)
    assert found[1].location.range == Range(6, 4, 6, 28)


def test_a_spec_without_endpoints_gives_nothing() -> None:
    assert read_spec_endpoints(SourceFile.from_text("auth-spec.md", "# Auth\nUse Supabase.\n")) == ()
