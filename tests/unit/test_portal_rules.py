"""The portal follows the services' rules and keeps no copy of them: no module of the portal (nor
a template) defines a transition, a deadline rule or a severity order. Review says which actions a
task offers, its deadline state, the committee's aggregate and the finance steps; intake says the
legal deadlines of a filing and what its applicant may do next. Each kind of copy is also shown
failing on a deliberate one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "services" / "portal"
# The codes whose rules belong to review and intake: a portal that compares or lists them is
# deciding with its own copy of a rule.
FAMILIES = {
    "status": {"received", "queued", "in_review", "awaiting_applicant", "in_committee", "decided", "closed",
               "withdrawn"},
    "opinion": {"favourable", "favourable_with_conditions", "adjourned", "unfavourable"},
    "finance step": {"verified", "approved_for_payment"},
    "outcome": {"approved", "approved_with_conditions", "rejected", "note_issued", "answered", "observations_issued",
                "paid"},
    "deadline state": {"on_time", "approaching", "overdue", "paused", "met"},
}
# Where the rules are computed: importing them is recomputing them (the agency's time zone, to
# show a time, is no rule).
RULE_MODULES = {"shared.lifecycle", "shared.calendar", "shared.deadlines"}
HARMLESS = {("shared.calendar", "AGENCY_TZ")}
DEADLINE_NAME = re.compile(r"(DAYS|MARGIN|DEADLINE|SEVERITY|TRANSITION|OPEN_STATES)", re.IGNORECASE)
TEMPLATE_COMPARISON = re.compile(r"""(==|!=|\bin\b)\s*[(\[]?\s*['"]([a-z_]+)['"]""")


def _family(value: object) -> str | None:
    return next((name for name, codes in FAMILIES.items() if value in codes), None)


def python_copies(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in RULE_MODULES \
                and any((node.module, a.name) not in HARMLESS for a in node.names):
            found.append(f"{where}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Import) and any(a.name in RULE_MODULES for a in node.names):
            found.append(f"{where}:{node.lineno} imports a rule module")
        elif isinstance(node, ast.Compare):
            constants = [c for c in (node.left, *node.comparators) for c in ([c] if isinstance(c, ast.Constant) else
                                                                                 getattr(c, "elts", []))]
            codes = [c.value for c in constants if isinstance(c, ast.Constant) and _family(c.value)]
            if codes:
                found.append(f"{where}:{node.lineno} compares with the {_family(codes[0])} code {codes[0]!r}")
        elif isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            items = [*node.keys, *node.values] if isinstance(node, ast.Dict) else node.elts
            families = [_family(i.value) for i in items if isinstance(i, ast.Constant)]
            for family in set(filter(None, families)):
                if families.count(family) >= 2:
                    found.append(f"{where}:{node.lineno} lists {family} codes (a table of its own)")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper() and DEADLINE_NAME.search(target.id) \
                        and isinstance(node.value, ast.Constant | ast.Tuple | ast.Dict | ast.Set | ast.List):
                    found.append(f"{where}:{node.lineno} defines {target.id}")
    return found


def template_copies(source: str, where: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        for _, code in TEMPLATE_COMPARISON.findall(line):
            if _family(code):
                found.append(f"{where}:{number} compares with the {_family(code)} code {code!r}")
    return found


def portal_copies(portal: Path = PORTAL) -> list[str]:
    found = []
    for module in sorted(portal.rglob("*.py")):
        found += python_copies(module.read_text(), str(module.relative_to(portal)))
    for template in sorted((portal / "templates").rglob("*.html")):
        found += template_copies(template.read_text(), str(template.relative_to(portal)))
    return found


def test_the_portal_keeps_no_copy_of_a_rule():
    assert portal_copies() == []


@pytest.mark.parametrize(("source", "expected"), [
    ('OPINIONS = ("favourable", "favourable_with_conditions", "adjourned", "unfavourable")\n', "lists opinion codes"),
    ('def may_claim(task):\n    return task["status"] == "queued"\n', "compares with the status code 'queued'"),
    ('def done(task):\n    return task["status"] in ("decided", "closed")\n', "compares with the status code"),
    ("APPROACHING_DAYS = 2  # as review's alerts\n", "defines APPROACHING_DAYS"),
    ("from shared.calendar import WorkingCalendar\n", "imports shared.calendar"),
    ("from shared.lifecycle import OPEN_STATES\n", "imports shared.lifecycle"),
    ('NEXT = {"verified": "approved_for_payment"}\n', "lists finance step codes"),
])
def test_a_copied_rule_is_found(source: str, expected: str):
    found = python_copies(source, "sneaky.py")
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(("source", "expected"), [
    ("{% if task.status == 'in_review' %}", "compares with the status code 'in_review'"),
    ('{% if filing.decision.outcome in ("rejected",) %}', "compares with the outcome code 'rejected'"),
])
def test_a_copied_rule_in_a_template_is_found(source: str, expected: str):
    found = template_copies(source, "sneaky.html")
    assert any(expected in line for line in found), found
