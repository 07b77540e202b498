"""Secrets in project files: hard-coded keys and secrets exposed to client-side code.

One pass of a few anchored regular expressions per file (cached by content like every reader). What is
found is described, located and identified by a short hash (for the `secrets-allow` setting); the value
itself is never stored in a finding or a message.

Known public values are not secrets: Supabase anon keys (public by design) and the local Supabase demo
keys (`iss: supabase-demo`), `postgres:postgres@localhost`, and placeholders (`your-key-here`, `xxx`,
`<token>`, `eyJ...`, `changeme`). Test, mock and fixture files are skipped. In markdown plans only
unmistakable key formats are reported, never generic `PASSWORD=...` assignments (plans discuss them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile

Exposure = Literal["hard-coded", "client-env"]


@dataclass(frozen=True, slots=True)
class SecretFinding:
    description: str  # "an OpenRouter API key"
    location: Location
    ident: str  # 8 hex characters of the value's SHA-256: for `secrets-allow`
    exposure: Exposure


# Each pattern with the literals one of which every match contains: a pattern whose literals are all absent
# from a file cannot match there, and `str.__contains__` is far cheaper than a regex scan (a `\b`-anchored
# pattern is tried at every position). The results are exactly those of running every pattern.
_KEY_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("an OpenRouter API key", re.compile(r"\bsk-or-v1-[0-9a-f]{64}\b"), ("sk-or-v1-",)),
    ("an Anthropic API key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}"), ("sk-ant-",)),
    ("an OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}"), ("sk-",)),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{16,}"), ("k_live_",)),
    (
        "a GitHub token",
        re.compile(r"\b(?:ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})"),
        ("ghp_", "github_pat_"),
    ),
    ("an AWS access key id", re.compile(r"\bAKIA[0-9A-Z]{16}\b"), ("AKIA",)),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), ("AIza",)),
    ("a Slack token", re.compile(r"\bxox[baprs]-[0-9A-Za-z-]{10,}"), ("xox",)),
    ("a Supabase secret key", re.compile(r"\bsb_secret_[A-Za-z0-9_-]{20,}"), ("sb_secret_",)),
    (
        "a private key",
        re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
        ("-----BEGIN ",),
    ),
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
_DB_URL = re.compile(
    r"\bpostgres(?:ql)?://(?P<user>[^:\s/@'\"`]+):(?P<password>[^@\s'\"`]+)@(?P<host>[^/\s:'\"`]+)"
)
_ASSIGNMENT = re.compile(  # the name must END with the secret word: `apiKey`, `DB_PASSWORD`, not `passwordUrl`
    r"(?i)\b(?P<name>[A-Z0-9_]*?(?:SECRET|SECRET_?KEY|API_?KEY|PRIVATE_?KEY|ACCESS_?TOKEN|AUTH_?TOKEN|PASSWORD|PASSWD))"
    r"\b\s*[:=]\s*(?P<q>[\"'`])(?P<value>[^\"'`\s$]{16,})(?P=q)"
)
_PUBLIC_SECRET_ENV = re.compile(
    r"\b(?:PUBLIC_|NEXT_PUBLIC_|VITE_|EXPO_PUBLIC_|REACT_APP_)[A-Z0-9_]*(?:SERVICE_ROLE|SECRET|PRIVATE|PASSWORD)[A-Z0-9_]*\b"
)
_SERVER_SECRET_ENV = re.compile(r"\b[A-Z0-9_]*(?:SERVICE_ROLE|SECRET_KEY|PRIVATE_KEY)[A-Z0-9_]*\b")
_JWT_NEEDLES = ("eyJ",)
_DB_URL_NEEDLES = ("postgres://", "postgresql://")
_PUBLIC_NEEDLES = ("PUBLIC_", "VITE_", "REACT_APP_")  # NEXT_PUBLIC_ and EXPO_PUBLIC_ contain PUBLIC_
_SERVER_NEEDLES = ("SERVICE_ROLE", "SECRET_KEY", "PRIVATE_KEY")
# _ASSIGNMENT ignores case: its words, lower-cased, for text that is ASCII only (where lower-casing is exact;
# IGNORECASE also folds a few non-ASCII letters, such as the Kelvin sign, so other text is always scanned).
_ASSIGNMENT_NEEDLES = (
    "secret",
    "api_key",
    "apikey",
    "private_key",
    "privatekey",
    "access_token",
    "accesstoken",
    "auth_token",
    "authtoken",
    "password",
    "passwd",
)
_PLACEHOLDER = re.compile(
    r"(?i)your|xxx|example|placeholder|changeme|change_me|dummy|sample|fake|redacted|<|>|\.\.\.|\*\*\*|here$|^test"
)
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "db", "postgres", "host.docker.internal", "supabase_db")
_SKIP_PARTS = re.compile(
    r"(^|/)(__tests__|__mocks__|tests?|mocks?|fixtures?|e2e|cypress|playwright)/|\.(test|spec)\."
)
_CLIENT_FILE = re.compile(r"\.(tsx|jsx|vue|svelte)$|(^|/)(components|hooks|client)/")


def _has_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(n in text for n in needles)


def _may_assign(text: str) -> bool:
    """False only when `_ASSIGNMENT` cannot match `text` (see `_ASSIGNMENT_NEEDLES`)."""
    return not text.isascii() or _has_any(text.lower(), _ASSIGNMENT_NEEDLES)


def _ident(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def _jwt_payload(token: str) -> dict[str, object] | None:
    try:
        part = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, IndexError):
        return None
    return data if isinstance(data, dict) else None


def _random_looking(value: str) -> bool:
    """Keys look random: letters and digits mixed, many distinct characters, not words joined by `_`/`-`."""
    if re.fullmatch(r"[A-Za-z]+(?:[_\-.][A-Za-z]+)*", value) or "/" in value:
        return False
    if not (re.search(r"\d", value) and re.search(r"[A-Za-z]", value)):
        return False
    counts = [value.count(c) for c in set(value)]
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts)
    return entropy >= 3.5


def is_client_side(rel: str, text: str) -> bool:
    if "/pages/api/" in "/" + rel or "/app/api/" in "/" + rel or rel.startswith("supabase/"):
        return False
    return bool(_CLIENT_FILE.search(rel)) or text.lstrip().startswith(("'use client'", '"use client"'))


def scan_secrets(src: SourceFile) -> tuple[SecretFinding, ...]:
    rel = src.rel
    if _SKIP_PARTS.search(rel) or not src.text:
        return ()
    text = src.text
    markdown = PurePosixPath(rel).suffix.lower() in (".md", ".mdc", ".markdown")
    found: list[SecretFinding] = []

    spans: list[tuple[int, int]] = []

    def add(description: str, start: int, end: int, value: str, exposure: Exposure = "hard-coded") -> None:
        if any(start < e and s < end for s, e in spans):
            return  # already reported by a more specific pattern
        spans.append((start, end))
        sl, sc = src.lines.position(start)
        el, ec = src.lines.position(end)
        found.append(
            SecretFinding(description, Location(rel, Range(sl, sc, el, ec)), _ident(value), exposure)
        )

    for description, pattern, needles in _KEY_PATTERNS:
        if not _has_any(text, needles):
            continue
        for m in pattern.finditer(text):
            if not _PLACEHOLDER.search(m.group(0)[8:]):
                add(description, m.start(), m.end(), m.group(0))
    for m in _JWT.finditer(text) if _has_any(text, _JWT_NEEDLES) else ():
        payload = _jwt_payload(m.group(0))
        if payload is None or payload.get("iss") == "supabase-demo" or payload.get("role") == "anon":
            continue
        role = payload.get("role")
        add(
            "a Supabase service-role key" if role == "service_role" else "a JSON Web Token",
            m.start(),
            m.end(),
            m.group(0),
        )
    for m in _DB_URL.finditer(text) if _has_any(text, _DB_URL_NEEDLES) else ():
        password, host = m.group("password"), m.group("host").lower()
        if (
            _PLACEHOLDER.search(password)
            or password.startswith(("$", "[", "{"))
            or (password in ("postgres", "password") and host in _LOCAL_HOSTS)
        ):
            continue
        add("a database password in a connection URL", m.start("password"), m.end("password"), password)
    if not markdown:
        for m in _ASSIGNMENT.finditer(text) if _may_assign(text) else ():
            value = m.group("value")
            if _PLACEHOLDER.search(value) or not _random_looking(value):
                continue
            add(f"a secret (`{m.group('name')}`)", m.start("value"), m.end("value"), value)
        for m in _PUBLIC_SECRET_ENV.finditer(text) if _has_any(text, _PUBLIC_NEEDLES) else ():
            add(
                f"the secret `{m.group(0)}` (a public variable, inlined into the browser bundle)",
                m.start(),
                m.end(),
                m.group(0),
                "client-env",
            )
        if is_client_side(rel, text) and _has_any(text, _SERVER_NEEDLES):
            for m in _SERVER_SECRET_ENV.finditer(text):
                if _PUBLIC_SECRET_ENV.match(m.group(0)):
                    continue
                add(
                    f"the secret `{m.group(0)}`, read in client-side code,",
                    m.start(),
                    m.end(),
                    m.group(0),
                    "client-env",
                )
    return tuple(found)
