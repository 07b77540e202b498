"""The secret scanner's literal prefilters never change what it finds (code/secrets.py).

Each pattern is skipped when none of its literals occurs in the file; the reference here runs every
pattern on every file. Texts are built from fragments of real secret shapes, near misses and noise,
including non-ASCII letters that IGNORECASE folds to ASCII (the Kelvin sign, the long s).
"""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from stage_lsp.code import secrets
from stage_lsp.core.source import SourceFile

FRAGMENTS = [
    "sk-",
    "or-v1-",
    "ant-",
    "proj-",
    "rk_live_",
    "sk_live_",
    "ghp_",
    "github_pat_",
    "AKIA",
    "AIza",
    "xoxb-",
    "sb_secret_",
    "-----BEGIN PRIVATE KEY-----",
    "eyJ",
    ".",
    "postgres://",
    "postgresql://",
    "admin:",
    "@db.example.com",
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "SUPABASE_SERVICE_ROLE_KEY",
    "SECRET_KEY",
    "PRIVATE_KEY",
    "apiKey",
    "API_KEY",
    "password",
    "PASSWD",
    "ſecret",  # long s: IGNORECASE matches it with `s`
    "api\u212aey",  # Kelvin sign
    " = ",
    ": ",
    '"',
    "'",
    "`",
    "9f8e7d6c5b4a3f2e1d0c9b8a",
    "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
    "7f3c9a1e5b2d4f6a" * 4,
    "\n",
    " ",
    "const x",
    "zażółć",
]


def reference(src: SourceFile) -> tuple[secrets.SecretFinding, ...]:
    with (
        mock.patch.object(secrets, "_has_any", lambda text, needles: True),
        mock.patch.object(secrets, "_may_assign", lambda text: True),
    ):
        return secrets.scan_secrets(src)


@settings(max_examples=400, deadline=None)
@given(
    parts=st.lists(st.sampled_from(FRAGMENTS), max_size=30),
    rel=st.sampled_from(["src/lib/config.ts", "src/components/Key.tsx", ".ai/api-plan.md", "supabase/x.sql"]),
)
def test_prefiltered_scan_equals_the_full_scan(parts: list[str], rel: str) -> None:
    src = SourceFile.from_text(rel, "".join(parts))
    assert secrets.scan_secrets(src) == reference(src)


def test_the_reference_finds_what_the_prefilter_must_not_skip() -> None:
    key = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
    kelvin = 'const api\u212aey = "9f8e7d6c5b4a3f2e1d0c9b8a";'
    for text in (f'const k = "{key}"', kelvin):
        src = SourceFile.from_text("src/lib/config.ts", text)
        assert secrets.scan_secrets(src) == reference(src)
        assert secrets.scan_secrets(src)
