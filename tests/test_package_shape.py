"""The package keeps the shape a newcomer can follow (ARCHITECTURE.md): stages that meet only
through their public faces, no import cycle, no import hidden inside a function between
parts of the package, modules and functions of a readable size, no two modules of one name."""

from __future__ import annotations

import ast
import tomllib
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsgen"
STAGES = ("load", "extract", "render", "index", "write")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# Imported on first use within its own stage, for a reason given where it is done.
LAZY_WITHIN_STAGE = {("newsgen.extract.archive", "newsgen.extract.articles")}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imports(tree: ast.Module, *, top_level: bool) -> set[str]:
    """The newsgen modules a module imports (at its top level, or inside functions)."""
    nodes = tree.body if top_level else [n for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for n in ast.walk(f)]
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsgen"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("newsgen"))
    return found & set(MODULES)


MODULES = _modules()


def modules() -> dict[str, ast.Module]:
    return MODULES


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_meet_only_through_their_public_faces() -> None:
    wrong = []
    for name, tree in modules().items():
        for target in imports(tree, top_level=True):
            stage = stage_of(target)
            if stage and stage != stage_of(name) and target != f"newsgen.{stage}":
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    # A package's module importing its own package's face is not a cycle of the design.
    graph = {
        name: {t for t in imports(tree, top_level=True) if t != name and not name.startswith(t + ".")}
        for name, tree in modules().items()
    }
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, "import cycle: " + " → ".join(path[path.index(name) :] + [name])
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_no_lazy_import_between_parts_of_the_package() -> None:
    lazy = {(name, target) for name, tree in modules().items() for target in imports(tree, top_level=False)}
    assert {pair for pair in lazy if pair not in LAZY_WITHIN_STAGE} == set()


def test_modules_and_functions_are_of_a_readable_size() -> None:
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.name}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


def test_no_two_modules_share_a_name() -> None:
    names = Counter(path.stem for path in PACKAGE.rglob("*.py") if path.stem != "__init__")
    packages = {path.name for path in PACKAGE.rglob("*") if path.is_dir() and (path / "__init__.py").exists()}
    assert [name for name, count in names.items() if count > 1 or name in packages] == []


def test_every_package_is_in_the_wheel() -> None:
    """pyproject.toml lists the packages by hand: a new one left out is missing from an install."""
    listed = set(tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found - listed == set()
