"""The rule registry: codes, names, documentation and the generated catalogue."""

from __future__ import annotations

import importlib
import pkgutil
import re

import stage_lsp.rules as rules_pkg
from stage_lsp.render.catalogue import expected_pages
from stage_lsp.rules import ALL_RULES, BY_CODE
from stage_lsp.rules.base import DOC_SECTIONS, FAMILIES
from tests.conftest import REPO


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.code for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    names = [r.name for r in ALL_RULES]
    assert len(names) == len(set(names))
    for r in ALL_RULES:
        assert re.fullmatch(r"SL\d{3}", r.code)
        assert r.code[:3] in FAMILIES
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        assert not r.name.startswith(("no-", "ban-"))


def test_every_rule_module_is_registered_and_named_after_its_code() -> None:
    modules = [m.name for m in pkgutil.iter_modules(rules_pkg.__path__) if re.match(r"sl\d{3}_", m.name)]
    registered = set()
    for name in modules:
        module = importlib.import_module(f"stage_lsp.rules.{name}")
        rule = module.RULE
        assert name.startswith(rule.code.lower() + "_"), name
        assert name == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", name
        assert BY_CODE.get(rule.code) is rule, f"{name} is not in ALL_RULES"
        registered.add(rule.code)
    assert registered == set(BY_CODE)


def test_every_rule_is_documented_in_order() -> None:
    for r in ALL_RULES:
        positions = [r.doc.find(h) for h in DOC_SECTIONS]
        assert all(p >= 0 for p in positions), f"{r.code} lacks a section: {DOC_SECTIONS}"
        assert positions == sorted(positions), f"{r.code}: sections out of order"
        for i, h in enumerate(DOC_SECTIONS):
            end = positions[i + 1] if i + 1 < len(positions) else len(r.doc)
            body = r.doc[positions[i] + len(h) : end].strip()
            assert len(body) > 20, f"{r.code}: section {h!r} is empty"


def test_catalogue_is_fresh() -> None:
    directory = REPO / "rules"
    expected = expected_pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in directory.glob("*.md")}
    stale = sorted(n for n in set(expected) | set(on_disk) if expected.get(n) != on_disk.get(n))
    assert not stale, f"rules/ is stale ({', '.join(stale)}): run `make rules`"
