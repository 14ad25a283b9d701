"""The import contracts in .importlinter hold for the code, and break when code breaks them
(a domain module reaching for the database, a service importing another, a test module or
helper importing a test module or a conftest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in ("services", "shared", "lamadi_cli", "tests"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_code_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "source", "contract"), [
    ("services/review/domain/sneaky.py", "import asyncpg\n", "Domain code does no I/O"),
    ("services/notifier/domain/sneaky.py", "from shared import deps\n", "Domain code does no I/O"),
    ("services/reporting/sneaky.py", "from services.intake import handlers\n", "Services never import each other"),
    ("shared/sneaky.py", "from services.review import repository\n", "shared/ imports no service"),
    ("tests/integration/test_sneaky.py", "from tests.integration.test_review_service import SUBMISSIONS\n",
     "Nothing imports a test module or a conftest"),
    ("tests/unit/test_sneaky.py", "from tests.integration import test_intake_service\n",
     "Nothing imports a test module or a conftest"),
    ("tests/sneaky_helper.py", "from tests.integration.conftest import clock\n", "Nothing imports a test module or a conftest"),
])
def test_a_forbidden_import_breaks_its_contract(tree, module, source, contract):
    (tree / module).write_text(source)
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
