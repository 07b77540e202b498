"""Safety: the checker never runs project code, never opens the network, reads only the workspace, and
its fixes write only inside the workspace, never over an existing file, whatever the plans say.

Runtime claims are proven with Python's audit hooks (tests/reliability/audit.py), which see every file
opened, folder listed, socket connected and process started, in stage_lsp and in every library it uses.
The source is also scanned, so a new call that a test project does not reach is caught too.
"""

from __future__ import annotations

import ast
import io
import json
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from stage_lsp.cli.main import main
from stage_lsp.code.astro import expected_route_file
from stage_lsp.core.violation import CreateFile
from stage_lsp.rules import sl101_planned_endpoint_missing as sl101
from stage_lsp.rules import sl401_planned_table_missing as sl401
from tests.conftest import EXAMPLE, SERVER, require_program, run_cli
from tests.reliability.audit import NETWORK, PROCESS, recording
from tests.reliability.project import FILES, write
from tests.rules.builders import context, db_context, endpoint, plan_table, route, run

PACKAGE = SERVER / "stage_lsp"

# -- the source ------------------------------------------------------------------------------------------

# Modules nothing in stage_lsp may import, and the one place each allowed-but-dangerous one may be used.
FORBIDDEN_IMPORTS = {
    "socket", "ssl", "urllib.request", "http.client", "http.server", "ftplib", "smtplib", "xmlrpc",
    "requests", "httpx", "aiohttp", "ctypes", "cffi", "pty", "runpy", "shelve", "code", "webbrowser",
}  # fmt: skip
CONFINED_IMPORTS = {
    "subprocess": {"engine/since.py"},  # git, in PR mode
    "multiprocessing": {"workspace/prefetch.py"},  # the read pool (forks this process)
    "marshal": {"core/dataclass_code.py"},  # reads the precompiled dataclass methods (like a .pyc)
}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_ATTRS = {
    ("os", "system"), ("os", "popen"), ("os", "startfile"), ("os", "fork"), ("os", "forkpty"),
    ("importlib", "import_module"), ("pickle", "load"), ("pickle", "loads"), ("pickle", "Unpickler"),
    ("builtins", "exec"), ("builtins", "eval"), ("builtins", "compile"),
}  # fmt: skip
# The one place each of these calls may be made, and why it runs no project input:
CONFINED_CALLS = {
    # the source text `dataclasses` writes for a class of stage_lsp or a library, compiled once
    "compile": {"core/dataclass_code.py"},
    "builtins.exec": {"core/dataclass_code.py"},
    # the early secret scan: a child forked from this process (it reads and scans, it runs nothing)
    "os.fork": {"cli/early_scan.py"},
}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_source_never_imports_network_or_process_modules() -> None:
    problems = []
    for rel, tree in _modules():
        for name in _imported(tree):
            top = name.split(".")[0]
            if name in FORBIDDEN_IMPORTS or top in FORBIDDEN_IMPORTS:
                problems.append(f"{rel}: imports {name}")
            for confined, allowed in CONFINED_IMPORTS.items():
                if top == confined and rel not in allowed:
                    problems.append(f"{rel}: imports {name} (allowed only in {sorted(allowed)})")
    assert not problems


def test_source_never_evaluates_code_or_starts_programs_other_than_git() -> None:
    problems = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            if (
                isinstance(fn, ast.Name)
                and fn.id in FORBIDDEN_CALLS
                and rel not in CONFINED_CALLS.get(fn.id, ())
            ):
                problems.append(f"{rel}:{node.lineno}: {fn.id}()")
            if isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
                owner, attr = fn.value.id, fn.attr
                forbidden = (owner, attr) in FORBIDDEN_ATTRS or (
                    owner == "os" and attr.startswith(("exec", "spawn"))
                )
                if forbidden and rel not in CONFINED_CALLS.get(f"{owner}.{attr}", ()):
                    problems.append(f"{rel}:{node.lineno}: {owner}.{attr}()")
                if owner == "subprocess":
                    first = node.args[0] if node.args else None
                    is_git = (
                        isinstance(first, ast.List)
                        and bool(first.elts)
                        and isinstance(first.elts[0], ast.Constant)
                        and first.elts[0].value == "git"
                    )
                    shell = any(k.arg == "shell" for k in node.keywords)
                    if attr not in ("run", "TimeoutExpired") or not is_git or shell:
                        problems.append(f"{rel}:{node.lineno}: subprocess.{attr} of something other than git")
    assert not problems


def test_the_cache_loader_refuses_anything_but_stage_lsp_data(tmp_path: Path) -> None:
    """The one unpickler (the parse cache) builds only stage_lsp dataclasses and enums."""
    import pickle

    from stage_lsp.workspace.cache import _SafeUnpickler

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    payload = pickle.dumps(Boom())
    with pytest.raises(pickle.UnpicklingError):
        _SafeUnpickler(io.BytesIO(payload)).load()


# -- running ---------------------------------------------------------------------------------------------

URL_PLAN = """# API

Base URL: `https://api.example.com/v1` (see https://docs.example.com).

#### GET /api/decks
Calls https://openrouter.ai/api/v1/chat/completions. Returns 200.
"""
URL_ROUTE = """import type { APIRoute } from "astro";
export const GET: APIRoute = async () => {
  const r = await fetch("https://openrouter.ai/api/v1/models");
  return new Response(await r.text(), { status: 200 });
};
"""


def _main(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "flashcards"
    shutil.copytree(EXAMPLE, root)
    write(root, {".ai/api-plan.md": (root / ".ai/api-plan.md").read_text() + URL_PLAN.replace("# API", "")})
    write(
        root, {"src/pages/api/models.ts": URL_ROUTE, "package.json": '{"scripts": {"postinstall": "exit 1"}}'}
    )
    return root


def test_a_check_opens_no_socket_and_starts_no_process(example: Path) -> None:
    with recording() as rec:
        for args in (
            ("check", str(example), "--output-format", "json"),
            ("check", str(example), "--no-cache", "--statistics"),
            ("check", str(example), "--diff", "--unsafe-fixes"),
            ("dump", str(example)),
            ("report", str(example)),
        ):
            code, output = _main(*args)
            assert code in (0, 1), output
    assert rec.of(NETWORK) == []
    assert rec.of(PROCESS) == []


def test_pr_mode_starts_git_and_nothing_else(example: Path) -> None:
    git = require_program("git")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run([git, *args], cwd=example, check=True, capture_output=True)
    with recording() as rec:
        code, output = _main("check", str(example), "--since", "HEAD", "--no-cache")
    assert code in (0, 1), output
    started = rec.of(PROCESS)
    assert started and all(Path(str(args[0])).name == "git" for _, args in started)
    assert rec.of(NETWORK) == []


def _hostile_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose files, folders and config point outside it in every way a repository can."""
    outside = tmp_path / "outside"
    write(
        outside,
        {
            "plan.md": "# API\n\n#### GET /api/secret\n",
            "secret.ts": "export const GET = () => new Response('secret');\n",
            "package.json": '{"dependencies": {"hono": "4"}}',
            "ignore": "*\n",
            "stage-lsp.toml": "framework = 'hono'\n",
            "pyproject.toml": "[tool.stage-lsp]\nframework = 'hono'\n",
            "types.ts": "export type Database = {}\n",
            "x.md": "# x\n",
            "app/package.json": '{"dependencies": {"express": "4"}}',
            "requirements.txt": "fastapi\n",
            "m/20250101000000_x.sql": "create table secret (id int);\n",
        },
    )
    root = write(tmp_path / "project", dict(FILES))
    links = {
        "src/pages/api/leak.ts": outside / "secret.ts",
        "src/pages/api/ext": outside,
        ".ai/linked-plan.md": outside / "plan.md",
        "docs/api-plan.md": outside / "plan.md",
        "apps": outside,
        "web/package.json": outside / "package.json",
        ".gitignore": outside / "ignore",
        "src/.gitignore": outside / "ignore",
        "requirements.txt": outside / "requirements.txt",
        "supabase/migrations/20250102000000_leak.sql": outside / "m/20250101000000_x.sql",
        "src/db/database.types.ts": outside / "types.ts",
    }
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target, target_is_directory=target.is_dir())
    (root / "web").mkdir(exist_ok=True)
    api = FILES[".ai/api-plan.md"] + "\n- [Secret](../../outside/x.md)\n- [Other](../outside/x.md)\n"
    write(
        root,
        {".ai/api-plan.md": api, ".ai/db-plan.md": FILES[".ai/db-plan.md"] + "\n[t](../../outside/x.md)\n"},
    )
    return root, outside


def _config_variants(root: Path, outside: Path) -> list[str]:
    rel_out = "../outside"
    return [
        "",
        f'api-plans = ["{rel_out}/plan.md", "{outside}/plan.md"]\ntypes = "{rel_out}/types.ts"\n'
        f'migrations = "{rel_out}/m"\nsources = ["{rel_out}", "src"]\n',
        f'db-plans = ["{rel_out}/*.md"]\nprd = ["/{outside}/x.md"]\ntypes = "/{outside}/types.ts"\n',
    ]


def test_reads_stay_inside_the_workspace(tmp_path: Path) -> None:
    root, outside = _hostile_project(tmp_path)
    prefix = str(outside.resolve()) + "/"
    for config in _config_variants(root, outside):
        (root / "stage-lsp.toml").write_text(config, encoding="utf-8")
        with recording() as rec:
            for args in (("check", str(root), "--no-cache"), ("check", str(root)), ("dump", str(root))):
                code, output = _main(*args)
                assert code in (0, 1), output
                assert "secret" not in output.lower()
        leaked = sorted({p for p in rec.paths() if (p + "/").startswith(prefix)})
        assert leaked == [], f"config {config!r} read outside the project: {leaked}"


def test_config_symlinked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    root, outside = _hostile_project(tmp_path)
    (root / "stage-lsp.toml").symlink_to(outside / "stage-lsp.toml")
    with recording() as rec:
        code, output = _main("check", str(root), "--no-cache")
    assert code == 2 and "stage-lsp.toml" in output and "outside the project" in output
    assert not [p for p in rec.paths() if p.startswith(str(outside.resolve()))]


# -- writing ---------------------------------------------------------------------------------------------

HOSTILE_PATHS = (
    "/api/../../../outside/pwned",
    "/api/decks/../../../../outside/x",
    "/api/ext/new",
    "/api/..\\..\\outside\\y",
    "/api/%2e%2e/%2e%2e/outside/z",
    "/api/{../../x}",
    "/api/{id}/../../../outside/w",
    "/api/./././x",
    "/api/~/.ssh/authorized_keys",
    "/api/\u2025/\uff0e\uff0e/outside/u",
    "/api/a\x00b",
    "/api/$(touch pwned)",
    "/api/`touch pwned`",
    "/api/..;/x",
)


def _snapshot(base: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            out[rel] = path.read_bytes()
        elif path.is_dir():
            out[rel] = "dir"
    return out


def test_fixes_write_only_inside_the_workspace_and_never_overwrite(tmp_path: Path) -> None:
    root, outside = _hostile_project(tmp_path)
    for rel in ("src/pages/api/leak.ts", ".ai/linked-plan.md", "docs/api-plan.md", "apps"):
        (root / rel).unlink()
    plan = FILES[".ai/api-plan.md"] + "".join(f"\n#### GET {p}\nReturns 200.\n" for p in HOSTILE_PATHS)
    db_plan = (
        FILES[".ai/db-plan.md"]
        + "\n### ../../outside/tbl\n- id uuid primary key\n\n### `x; drop table y`\n- id uuid\n"
    )
    write(root, {".ai/api-plan.md": plan, ".ai/db-plan.md": db_plan})
    before_outside = _snapshot(outside)
    before = _snapshot(root)
    r = run_cli("check", str(root), "--no-cache", "--fix", "--unsafe-fixes")
    assert r.code in (0, 1), r.err
    assert "Traceback" not in r.err
    assert _snapshot(outside) == before_outside
    after = _snapshot(root)
    for rel, content in before.items():
        if after.get(rel) != content:  # an edited file: only the plan (a planned route added) may change
            assert rel == ".ai/api-plan.md", f"{rel} was changed by --fix"
    created = sorted(set(after) - set(before))
    for rel in created:
        assert (root / rel).resolve().is_relative_to(root.resolve()), rel
        assert rel.startswith(("src/pages/api", "supabase/migrations")), rel
    names = " ".join(created)
    for bad in ("..", "%2e", "\\", "~", "$(", "`", "\x00", ";", "pwned", "outside"):
        assert bad not in names, created


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_plan_path_never_becomes_a_file_name_outside_the_routes(path: str) -> None:
    target = expected_route_file(path)
    if target is not None:
        parts = target.split("/")
        assert target.startswith("src/pages/api/") and ".." not in parts and "." not in parts, target
        assert all(ch.isalnum() or ch in "/._-[]" for ch in target), target


def test_sl101_offers_no_file_for_a_path_that_climbs_out() -> None:
    ctx = context(
        [endpoint("GET /api/../../etc/passwd", 3), endpoint("GET /api/decks/{id}", 9)],
        [route("GET /api/other")],
    )
    found = {v.message: v for v in run(sl101.RULE, ctx)}
    assert len(found) == 2
    climbing = next(v for m, v in found.items() if "passwd" in m)
    assert climbing.fix is None and climbing.related == ()
    fine = next(v for m, v in found.items() if "decks" in m)
    assert fine.fix is not None and isinstance(fine.fix.edits[0], CreateFile)
    assert fine.fix.edits[0].file == "src/pages/api/decks/[id].ts"


@pytest.mark.parametrize(
    ("migrations", "name"),
    [
        (("supabase/migrations/20250101000000_init.sql",), "../../etc/passwd"),
        (("supabase/migrations/99999999999999_last.sql",), "decks"),  # no date: crashed the rule
        (("supabase/migrations/20251399000000_bad.sql",), "decks"),
        (("supabase/migrations/99991231235959_end.sql",), "decks"),
    ],
)
def test_migration_scaffold_paths_stay_in_the_migrations_folder(
    migrations: tuple[str, ...], name: str
) -> None:
    ctx = db_context([plan_table(name, 1)], [], migrations=migrations)
    (v,) = run(sl401.RULE, ctx)
    assert v.fix is not None
    (edit,) = v.fix.edits
    assert isinstance(edit, CreateFile)
    folder, file = edit.file.rsplit("/", 1)
    assert folder == "supabase/migrations" and "/" not in file and ".." not in file
    assert (
        file[:14].isdigit()
        and file.endswith(".sql")
        and file not in {m.rsplit("/", 1)[1] for m in migrations}
    )


def test_json_of_a_hostile_project_is_inside_it(tmp_path: Path) -> None:
    """Every location a check reports (finding, counterpart, fix) names a file inside the project."""
    root, _ = _hostile_project(tmp_path)
    plan = FILES[".ai/api-plan.md"] + "".join(f"\n#### GET {p}\nReturns 200.\n" for p in HOSTILE_PATHS)
    write(root, {".ai/api-plan.md": plan})
    doc = run_cli("check", str(root), "--no-cache", "--output-format", "json").json()
    assert isinstance(doc, dict)
    for d in doc["diagnostics"]:
        files = [d["file"], *(r["file"] for r in d.get("related", []))]
        for rel in files:
            assert not rel.startswith("/") and ".." not in rel.split("/"), json.dumps(d)


@pytest.mark.parametrize("where", ["../outside-cache", "ABSOLUTE"])
def test_a_cache_dir_outside_the_project_is_not_written(tmp_path: Path, where: str) -> None:
    root = write(tmp_path / "project", dict(FILES))
    target = tmp_path / "abs-cache" if where == "ABSOLUTE" else tmp_path / "outside-cache"
    (root / "stage-lsp.toml").write_text(f'cache-dir = "{target if where == "ABSOLUTE" else where}"\n')
    r = run_cli("check", str(root))
    assert r.code == 1 and "`cache-dir` points outside the project; the parse cache is off" in r.err
    assert not target.exists()
    (root / "stage-lsp.toml").write_text('cache-dir = "build/cache"\n')  # inside: used
    assert run_cli("check", str(root)).code == 1
    assert (root / "build/cache/CACHEDIR.TAG").is_file()


def test_the_machine_may_put_the_cache_anywhere(tmp_path: Path) -> None:
    root = write(tmp_path / "project", dict(FILES))
    r = run_cli("check", str(root), env={"STAGE_LSP_CACHE_DIR": str(tmp_path / "ci-cache")})
    assert r.code == 1, r.err
    assert (tmp_path / "ci-cache/CACHEDIR.TAG").is_file() and not (root / ".stage-lsp-cache").exists()


def test_plain_plan_paths_still_get_a_route_file() -> None:
    assert expected_route_file("/api/źródła/{id}") == "src/pages/api/źródła/[id].ts"
    assert expected_route_file("/api/files/{...path}") == "src/pages/api/files/[...path].ts"
    assert expected_route_file("/api/export.ics") == "src/pages/api/export.ics.ts"
    assert expected_route_file("/api/.well-known/x-y_z") == "src/pages/api/.well-known/x-y_z.ts"
