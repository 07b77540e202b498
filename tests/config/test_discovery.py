from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.config.discovery import discover, preference
from stage_lsp.config.settings import Settings, parse_settings

Make = Callable[[dict[str, str]], Path]


def test_preference_order() -> None:
    paths = [
        "docs/api-plan.md",
        "ai/api-plan.md",
        "src/db/api-plan.md",
        ".ai/api/api-plan.md",
        ".ai/api-plan.md",
    ]
    assert sorted(paths, key=preference) == [
        ".ai/api-plan.md",
        ".ai/api/api-plan.md",
        "ai/api-plan.md",
        "docs/api-plan.md",
        "src/db/api-plan.md",
    ]


def test_ai_folder_wins_and_others_are_shadowed(make_project: Make) -> None:
    root = make_project({".ai/api-plan.md": "#", "src/db/api-plan.md": "#", "docs/db_plan.md": "#"})
    files = discover(root, Settings())
    assert files.plans["api"] == [".ai/api-plan.md"]
    assert files.plans["db"] == ["docs/db_plan.md"]
    assert [(s.file, s.used) for s in files.shadowed] == [("src/db/api-plan.md", ".ai/api-plan.md")]


def test_templates_and_dependencies_are_never_plans(make_project: Make) -> None:
    root = make_project(
        {
            ".github/prompts/api-plan.prompt.md": "#",
            ".claude/commands/plan-api.md": "#",
            ".cursor/api-plan.md": "#",
            ".prompts/db-plan.md": "#",
            "node_modules/pkg/api-plan.md": "#",
            "dist/api-plan.md": "#",
            "notes/api-plan.prompt.md": "#",
        }
    )
    files = discover(root, Settings())
    assert files.all_plans == []
    assert files.shadowed == []


def test_gitignored_paths_are_skipped(make_project: Make) -> None:
    root = make_project(
        {
            ".gitignore": "private/\n*.local.md\n",
            "private/api-plan.md": "#",
            "ai/api-plan.md": "#",
            "sub/.gitignore": "db-plan.md\n",
            "sub/db-plan.md": "#",
        }
    )
    files = discover(root, Settings())
    assert files.plans["api"] == ["ai/api-plan.md"]
    assert files.plans["db"] == []


def test_archive_only_when_nothing_else(make_project: Make) -> None:
    root = make_project({".ai/plans-archive/api-plan.md": "#", "plan/api-plan.md": "#"})
    assert discover(root, Settings()).plans["api"] == ["plan/api-plan.md"]
    root2 = make_project({".ai/plans-archive/db-plan.md": "#"})
    assert discover(root2, Settings()).plans["db"] == [".ai/plans-archive/db-plan.md"]


def test_shortest_path_breaks_ties(make_project: Make) -> None:
    root = make_project({"web/docs/x/api-plan.md": "#", "web/api-plan.md": "#"})
    assert discover(root, Settings()).plans["api"] == ["web/api-plan.md"]


def test_configured_plans_and_globs(make_project: Make) -> None:
    root = make_project(
        {"apps/api/README.md": "#", ".ai/api-plan.md": "#", "specs/a.md": "#", "specs/b.md": "#"}
    )
    settings = parse_settings({"api-plans": ["apps/api/README.md"], "db-plans": ["specs/*.md"]}, "test")
    files = discover(root, settings)
    assert files.plans["api"] == ["apps/api/README.md"]
    assert files.plans["db"] == ["specs/a.md", "specs/b.md"]
    assert "config" in files.reasons["apps/api/README.md"]


def test_sources_migrations_types_and_rules(make_project: Make) -> None:
    root = make_project(
        {
            "src/pages/api/x.ts": "",
            "src/db/database.types.ts": "",
            "lib/database.types.ts": "",
            "supabase/migrations/20250101000000_init.sql": "",
            "supabase/seed.sql": "",
            ".cursor/rules/astro.mdc": "",
            "README.md": "",
        }
    )
    files = discover(root, Settings())
    assert "src/pages/api/x.ts" in files.sources
    assert files.migrations == ["supabase/migrations/20250101000000_init.sql"]
    assert files.types == "lib/database.types.ts"  # shorter path wins among equals
    assert files.rules_files == [".cursor/rules/astro.mdc"]


def test_exclude_setting(make_project: Make) -> None:
    root = make_project({"src/pages/api/x.ts": "", "legacy/src/pages/api/y.ts": ""})
    files = discover(root, parse_settings({"exclude": ["legacy/"]}, "test"))
    assert files.sources == ["src/pages/api/x.ts"]


def test_symlinks_are_not_followed(make_project: Make, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "api-plan.md").write_text("#")
    root = make_project({"src/a.ts": ""})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    files = discover(root, Settings())
    assert files.all_plans == []


def test_an_auth_spec_is_a_supplementary_spec(make_project: Make) -> None:
    root = make_project(
        {
            ".ai/api-plan.md": "#",
            ".ai/auth-spec.md": "#",
            "old/auth-spec.md": "#",
            ".claude/auth-spec.md": "#",
            "src/pages/api/x.ts": "",
        }
    )
    files = discover(root, Settings())
    assert files.spec_files == [".ai/auth-spec.md"]
    assert files.kind_of(".ai/auth-spec.md") == "spec"
    assert files.plans["api"] == [".ai/api-plan.md"]
    # configured as an API plan: it is read as one, not as a spec
    both = parse_settings({"api-plans": [".ai/api-plan.md", ".ai/auth-spec.md"]}, "test")
    configured = discover(root, both)
    assert configured.spec_files == ["old/auth-spec.md"]
    assert configured.plans["api"] == [".ai/api-plan.md", ".ai/auth-spec.md"]
