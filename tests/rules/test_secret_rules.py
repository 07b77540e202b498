"""Secrets: the scanner's patterns and allowances, and SL611/SL612 end to end.

Fake secrets are assembled at run time so this file itself contains none.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.code.secrets import scan_secrets
from stage_lsp.core.source import SourceFile
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]


def jwt(payload: dict[str, object]) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(payload)}.{'s1gnature' * 4}"


OPENROUTER = "sk-" + "or-v1-" + "7f3c9a1e5b2d4f6a" * 4
OPENAI = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
SERVICE_ROLE = jwt({"iss": "supabase", "role": "service_role", "ref": "abcd"})
ANON = jwt({"iss": "supabase", "role": "anon", "ref": "abcd"})
DEMO_SERVICE = jwt({"iss": "supabase-demo", "role": "service_role"})


def found(rel: str, text: str) -> list[str]:
    return [f.description for f in scan_secrets(SourceFile.from_text(rel, text))]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        (f'const KEY = "{OPENROUTER}";', "an OpenRouter API key"),
        (f"const k = '{OPENAI}'", "an OpenAI API key"),
        (f'const key = "{SERVICE_ROLE}"', "a Supabase service-role key"),
        (
            "const url = 'postgresql://admin:S3cr3tPass@db.example.com:5432/app'",
            "a database password in a connection URL",
        ),
        ('export const STRIPE_SECRET = "9f8e7d6c5b4a3f2e1d0c9b8a";', "a secret (`STRIPE_SECRET`)"),
        ("-----BEGIN PRIVATE KEY-----\nMIIE", "a private key"),
    ],
)
def test_secrets_are_found(text: str, description: str) -> None:
    assert found("src/lib/config.ts", text) == [description]


@pytest.mark.parametrize(
    "text",
    [
        f'const anon = "{ANON}"',
        f'const demo = "{DEMO_SERVICE}"',
        "DATABASE_URL=postgresql://postgres:postgres@localhost:54322/postgres",
        "const url = 'postgres://user:${process.env.DB_PASSWORD}@host/db'",
        'const OPENAI_API_KEY = "your-api-key-here-1234567890"',
        "const resetPasswordUrl = `${origin}/auth/reset-password`;",
        'WEAK_PASSWORD: "weak_password_error_code"',
        'const apiKey = "eyJ..."',
        "if (!key.startsWith('sk-or-')) throw new Error()",
    ],
)
def test_public_values_and_placeholders_are_not_secrets(text: str) -> None:
    assert found("src/lib/config.ts", text) == []


def test_tests_are_skipped_and_plans_only_get_key_formats() -> None:
    assert found("src/__tests__/config.test.ts", f'const KEY = "{OPENROUTER}";') == []
    assert found(".ai/api-plan.md", 'SECRET_TOKEN = "9f8e7d6c5b4a3f2e1d0c9b8a"') == []
    assert found(".ai/api-plan.md", f"Use `{OPENROUTER}` in dev") == ["an OpenRouter API key"]


def test_client_exposure() -> None:
    public = "createClient(url, import.meta.env.PUBLIC_SUPABASE_SERVICE_ROLE_KEY)"
    assert len(found("src/lib/server-only.ts", public)) == 1
    server_name = "createClient(url, import.meta.env.SUPABASE_SERVICE_ROLE_KEY)"
    assert found("src/pages/api/admin.ts", server_name) == []
    assert len(found("src/components/Admin.tsx", server_name)) == 1
    assert len(found("src/lib/admin.ts", "'use client'\n" + server_name)) == 1


def test_rules_end_to_end_without_repeating_the_secret(cli: Cli, make_project: Make) -> None:
    root = make_project(
        {
            ".ai/api-plan.md": "# API\n",
            "src/lib/ai.ts": f'export const OPENROUTER_API_KEY = "{OPENROUTER}";\n',
            "src/components/Admin.tsx": "const k = import.meta.env.PUBLIC_SERVICE_ROLE_KEY;\n",
        }
    )
    result = cli("--check", str(root), "--output-format", "json")
    doc = result.json()
    assert isinstance(doc, dict)
    got = {(d["code"], d["file"], d["line"], d["column"]) for d in doc["diagnostics"]}
    assert got == {("SL612", "src/lib/ai.ts", 1, 36), ("SL611", "src/components/Admin.tsx", 1, 27)}
    assert OPENROUTER not in result.out
    ident = next(d["message"].split("(id ")[1][:8] for d in doc["diagnostics"] if d["code"] == "SL612")
    (root / "stage-lsp.toml").write_text(f'secrets-allow = ["{ident}"]\n')
    doc = cli("--check", str(root), "--output-format", "json").json()
    assert isinstance(doc, dict)
    assert [d["code"] for d in doc["diagnostics"]] == ["SL611"]
