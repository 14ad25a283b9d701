"""Every service, the portal included, has the shape docs/architecture.md's table gives it: the
files it names are there and nothing else sits beside them; every public handler is
``verb_noun(message, uow: UnitOfWork, deps: XDeps)``; SQL lives in the repository alone; only
bootstrap.py touches ``app.state``. The table is read from the document, so the page a
newcomer reads and this check cannot drift apart. Each rule is also shown failing on a copy of
the tree with a deliberate violation."""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
SERVICES = ("intake", "review", "notifier", "reporting", "portal")
# Folders of data, not code, that a service may keep beside the table's entries.
DATA_FOLDERS = {"migrations", "templates", "static", "i18n", "__pycache__"}
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|"
                 r"ALTER\s+TABLE|ON\s+CONFLICT)\b", re.DOTALL)
HANDLER_NAME = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


@dataclass(frozen=True)
class Entry:
    """One row of the shape table: its path(s) (``repository.py`` or ``repository/``), and
    whether a service may go without it."""

    paths: tuple[str, ...]
    optional: bool


def shape_table(document: Path = ARCHITECTURE) -> list[Entry]:
    """The rows of the table whose first column names files of a service (`settings.py`…)."""
    text = document.read_text(encoding="utf-8")
    start = text.index("<!-- shape-table -->")
    entries = []
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if entries:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        paths = tuple(re.findall(r"`([^`]+)`", cells[0]))
        if paths:
            entries.append(Entry(paths, optional="optional" in cells[1].lower()[:40]))
    return entries


def _deps_class(service: Path) -> str | None:
    tree = ast.parse((service / "deps.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "Dependencies" for b in node.bases):
            return node.name
    return None


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _handler_violations(service: Path, name: str) -> list[str]:
    deps_class, found = _deps_class(service), []
    for module in _python_files(service / "handlers"):
        if module.name.startswith("_") and module.name != "__init__.py":
            continue  # a private module: helpers of other shapes live there
        for node in ast.parse(module.read_text()).body:
            if not isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) or node.name.startswith("_"):
                continue
            where = f"{name}: handlers/{module.relative_to(service / 'handlers')}:{node.lineno} {node.name}"
            args = node.args
            annotations = [ast.unparse(a.annotation) if a.annotation else "" for a in args.args]
            if not isinstance(node, ast.AsyncFunctionDef):
                found.append(f"{where} is not async")
            elif not HANDLER_NAME.match(node.name):
                found.append(f"{where} is not named verb_noun")
            elif (len(args.args) != 3 or args.kwonlyargs or args.vararg or args.kwarg
                  or [a.arg for a in args.args][1:] != ["uow", "deps"]
                  or annotations[1:] != ["UnitOfWork", deps_class] or not annotations[0]):
                found.append(f"{where}{ast.unparse(args)!r} is not (message: X, uow: UnitOfWork, deps: {deps_class})")
    return found


def _bootstrap_violations(service: Path, name: str) -> list[str]:
    tree = ast.parse((service / "bootstrap.py").read_text())
    names = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    found = [] if "SERVICE" in names else [f"{name}: bootstrap.py has no SERVICE"]
    for function in ("build_deps", "build_app"):
        node = functions.get(function)
        if node is None:
            found.append(f"{name}: bootstrap.py has no {function}")
        elif [a.arg for a in node.args.args] != ["settings"] or [a.arg for a in node.args.kwonlyargs] != ["clock"]:
            found.append(f"{name}: bootstrap.{function}{ast.unparse(node.args)!r} is not (settings, *, clock)")
    return found


def _sql_and_state_violations(service: Path, name: str) -> list[str]:
    found = []
    for module in _python_files(service):
        relative = module.relative_to(service)
        nodes = list(ast.walk(ast.parse(module.read_text())))
        if relative.parts[0] not in ("repository.py", "repository"):
            found += [f"{name}: SQL outside the repository, {relative}:{node.lineno}" for node in nodes
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)]
        if relative.name != "bootstrap.py" and any(
                isinstance(node, ast.Attribute) and node.attr == "state" and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app" for node in nodes):
            found.append(f"{name}: app.state outside bootstrap.py, {relative}")
    return found


def shape_violations(services_root: Path, table: list[Entry]) -> list[str]:
    found: list[str] = []
    allowed = {path.rstrip("/") for entry in table for path in entry.paths} | {"__init__.py"} | DATA_FOLDERS
    for name in SERVICES:
        service = services_root / name
        for entry in table:
            if not entry.optional and not any((service / path.rstrip("/")).exists() for path in entry.paths):
                found.append(f"{name}: missing {' or '.join(entry.paths)}")
        for child in sorted(service.iterdir()):
            if child.name not in allowed:
                found.append(f"{name}: {child.name} is not in the shape table")
        if not (service / "deps.py").exists() or not (service / "bootstrap.py").exists():
            continue
        if (service / "handlers").is_dir():
            found += _handler_violations(service, name)
        found += _bootstrap_violations(service, name)
        found += _sql_and_state_violations(service, name)
    return found


def test_the_table_names_the_parts_of_a_service():
    paths = {path for entry in shape_table() for path in entry.paths}
    assert {"settings.py", "deps.py", "bootstrap.py", "domain/commands.py", "domain/errors.py", "handlers/",
            "adapters/", "api/", "consumers.py", "migrations/"} <= paths


def test_every_service_has_the_shape_of_the_table():
    assert shape_violations(ROOT / "services", shape_table()) == []


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "services", tmp_path / "services", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "services"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda s: (s / "review" / "domain" / "errors.py").unlink(), "review: missing domain/errors.py"),
    (lambda s: (s / "notifier" / "helpers.py").write_text(""), "notifier: helpers.py is not in the shape table"),
    (lambda s: (s / "intake" / "handlers" / "extra.py").write_text(
        "async def count_filings(query, uow, deps: IntakeDeps):\n    pass\n"),
     "intake: handlers/extra.py:1 count_filings"),
    (lambda s: (s / "reporting" / "handlers" / "extra.py").write_text(
        "from shared.unit_of_work import UnitOfWork\n"
        "async def helper(message, uow: UnitOfWork, deps: ReportingDeps, more):\n    pass\n"),
     "reporting: handlers/extra.py:2 helper"),
    (lambda s: (s / "portal" / "api" / "sneaky.py").write_text('QUERY = "SELECT email FROM staff"\n'),
     "portal: SQL outside the repository, api/sneaky.py:1"),
    (lambda s: (s / "portal" / "api" / "sneaky.py").write_text("def f(request):\n    return request.app.state\n"),
     "portal: app.state outside bootstrap.py, api/sneaky.py"),
])
def test_a_service_that_breaks_the_shape_is_named(tree: Path, change, expected: str):
    change(tree)
    found = shape_violations(tree, shape_table())
    assert any(line.startswith(expected) for line in found), found
