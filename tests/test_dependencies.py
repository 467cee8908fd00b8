"""requirements.txt pins exactly what the program imports; test and benchmark imports are pinned too."""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {path.stem for path in ROOT.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()}
DEV_TREES = ("tests", "bench")


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement).lower()


def pins(file: str) -> dict[str, str]:
    """name → pinned version of a requirements file (its `-r` includes left out)."""
    found = {}
    for line in (ROOT / file).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"{file}: {line!r} is not pinned"
            found[_name(name)] = version
    return found


def imported_distributions(files: list[Path]) -> dict[str, set[str]]:
    """Third-party distribution → the files importing it."""
    distributions = packages_distributions()
    ours = OURS | {file.stem for file in files}  # test helpers import their siblings by module name
    found: dict[str, set[str]] = {}
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names}:
                if top in sys.stdlib_module_names or top in ours or top == "__future__":
                    continue
                for distribution in distributions.get(top, [top]):
                    found.setdefault(_name(distribution), set()).add(str(file.relative_to(ROOT)))
    return found


def sources(dev: bool) -> list[Path]:
    files = [path for path in ROOT.rglob("*.py") if ".venv" not in path.parts]
    return [path for path in files if (path.relative_to(ROOT).parts[0] in DEV_TREES) == dev]


def test_the_program_pins_what_it_imports_and_imports_what_it_pins():
    imported = imported_distributions(sources(dev=False))
    pinned = pins("requirements.txt")
    assert {name: files for name, files in imported.items() if name not in pinned} == {}
    assert sorted(set(pinned) - set(imported)) == []


def test_tests_and_benchmarks_import_only_pinned_packages():
    imported = imported_distributions(sources(dev=True))
    pinned = pins("requirements.txt") | pins("requirements-dev.txt")
    assert {name: files for name, files in imported.items() if name not in pinned} == {}
