"""The precompiled dataclass methods (core.dataclass_code, cli.precompile): classes built from the file
behave exactly as classes `dataclasses` compiles itself, and a bad file is ignored.

`install` changes the `dataclasses` module of the process it runs in, so each case runs in a fresh
interpreter."""

from __future__ import annotations

import importlib.util
import json
import marshal
import subprocess
import sys
import textwrap
from pathlib import Path

from stage_lsp.core import dataclass_code
from tests.conftest import SERVER

# A module without `from __future__ import annotations`: its dataclasses' __init__ annotations are the
# classes themselves, which a compile inheriting dataclass_code's own future flags would turn into strings.
CLASSES = """
import dataclasses, inspect, json, sys
from stage_lsp.core import dataclass_code
dataclass_code.install(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None)

@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()

@dataclasses.dataclass(order=True)
class Box:
    w: float
    items: list[int] = dataclasses.field(default_factory=list)

p, q = Point(1, 2, ("a",)), Point(1, 2, ("a",))
try:
    p.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
init = inspect.signature(Point.__init__).parameters
facts = {
    "repr": [repr(p), repr(Box(1.5))],
    "eq": p == q and p != Point(2) and hash(p) == hash(q),
    "order": Box(1.0) < Box(2.0),
    "frozen": frozen,
    "default_factory": Box(1.0).items == [] and Box(1.0).items is not Box(1.0).items,
    "annotation_is_class": init["x"].annotation is int,
    "replace": dataclasses.replace(p, y=9) == Point(1, 9, ("a",)),
    "stats": dataclass_code.stats(),
}
if len(sys.argv) > 2:
    dataclass_code.write(sys.argv[2])
print(json.dumps(facts))
"""


def _run(script: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SERVER), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_classes_built_from_the_file_behave_as_compiled_ones(tmp_path: Path) -> None:
    script = tmp_path / "classes.py"
    script.write_text(CLASSES, encoding="utf-8")
    cache = tmp_path / "methods.bin"
    first = _run(script, str(cache), str(cache))  # nothing to read yet: compiles, then writes the file
    loaded, compiled = first.pop("stats")  # type: ignore[misc]
    assert loaded == 0 and compiled > 0
    again = _run(script, str(cache))
    loaded, compiled = again.pop("stats")  # type: ignore[misc]
    assert loaded > 0 and compiled == 0  # every method came from the file
    assert again == first
    assert again["annotation_is_class"] is True and again["frozen"] is True and again["eq"] is True
    plain = subprocess.run(  # the same classes without the cache at all
        [sys.executable, "-c", CLASSES.replace("dataclass_code.install(", "(lambda *a: None)(")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SERVER)},
    )
    reference = json.loads(plain.stdout.strip().splitlines()[-1])
    reference.pop("stats")
    assert again == reference


def test_a_file_that_is_damaged_or_from_another_python_is_ignored(tmp_path: Path) -> None:
    script = tmp_path / "classes.py"
    script.write_text(CLASSES, encoding="utf-8")
    good = tmp_path / "good.bin"
    _run(script, "-", str(good))
    data = good.read_bytes()
    header = dataclass_code.FORMAT + importlib.util.MAGIC_NUMBER
    assert data.startswith(header)
    bad = {
        "truncated.bin": data[: len(data) // 2],
        "other-python.bin": dataclass_code.FORMAT + b"\x00\x00\r\n" + data[len(header) :],
        "not-ours.bin": b"\x00" * 64,
        "wrong-type.bin": header + marshal.dumps({"x": 1}),
    }
    for name, content in bad.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert dataclass_code.read(str(path)) == {}, name
        facts = _run(script, str(path))
        loaded, compiled = facts.pop("stats")  # type: ignore[misc]
        assert loaded == 0 and compiled > 0, name  # compiled afresh, as without a file
        assert facts["eq"] is True and facts["annotation_is_class"] is True, name
    assert dataclass_code.read(str(tmp_path / "missing.bin")) == {}
    assert len(dataclass_code.read(str(good))) > 0


def test_precompile_covers_every_class_a_check_defines(tmp_path: Path) -> None:
    cache = tmp_path / "methods.bin"
    env = {"PYTHONPATH": str(SERVER), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "stage_lsp.cli.precompile", str(cache)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert cache.is_file()
    probe = textwrap.dedent(
        f"""
        from stage_lsp.core import dataclass_code
        dataclass_code.install({str(cache)!r})
        import stage_lsp.cli.checking, stage_lsp.workspace.prefetch, stage_lsp.cli.early_scan
        print(*dataclass_code.stats())
        """
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    loaded, compiled = map(int, out.stdout.split())
    assert loaded > 500 and compiled == 0
