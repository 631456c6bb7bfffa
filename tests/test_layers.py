"""The rooms keep to their doors: the engine imports neither a web framework nor the domain, and the code
outside it uses what `engine/__init__.py` exports, never a module of the engine by its path."""

import ast
from pathlib import Path

import engine

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = [ROOT / "app.py", *(path for room in ("appeals", "api", "tools") for path in (ROOT / room).rglob("*.py"))]


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of each import statement in the file at `path`; a plain `import x` has no names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


def test_the_engine_imports_no_web_framework_and_no_domain():
    imported = {module.split(".")[0] for path in (ROOT / "engine").rglob("*.py") for module, _ in _imports(path)}
    assert not imported & {"flask", "flask_smorest", "appeals", "api"}


def test_nothing_outside_the_engine_imports_its_internals():
    internal = [
        f"{path.relative_to(ROOT)}: {module} {names}"
        for path in OUTSIDE
        for module, names in _imports(path)
        if module.startswith("engine.") or (module == "engine" and not set(names) <= set(engine.__all__))
    ]
    assert internal == []


def _relative_imports(room: str) -> list[str]:
    """`path: module` of each relative import of a module above `room` in appeals/ (`from ..services ...`)."""
    return [
        f"{path.relative_to(ROOT)}: {node.module}"
        for path in (ROOT / "appeals" / room).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module
    ]


def test_each_layer_of_appeals_imports_only_those_below_it():
    """The domain stands alone; reports read the domain's rows and call no use case; services use the domain
    and reports, never an adapter (the database, the CLI, the server and the log hook use them, not the
    reverse). docs/architecture.md has the table."""
    below = {"domain": set(), "reports": {"domain"}, "services": {"domain", "reports"}}
    crossing = [
        found
        for room, allowed in below.items()
        for found in _relative_imports(room)
        if found.split(": ")[1].split(".")[0] not in allowed
    ]
    assert crossing == []
