"""The pages, public and staff, name the routes they link to (``url_for('route', …)``, ``url_for('static',
path=…)``) and never write a path of the portal: a path changes in one place, the route."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "portal" / "templates"
# An address of this site written out: href="/track", action="/file/{{ kind }}", a block's default.
LITERAL_PATH = re.compile(r"""\b(?:href|action|src|hx-get|hx-post)=["'](?:\{%[^%]*%\})?/""")


def literal_paths(source: str, where: str) -> list[str]:
    return [f"{where}:{number}" for number, line in enumerate(source.splitlines(), 1) if LITERAL_PATH.search(line)]


def test_no_template_writes_a_path():
    found = [spot for template in sorted(TEMPLATES.rglob("*.html"))
             for spot in literal_paths(template.read_text(), str(template.relative_to(TEMPLATES)))]
    assert found == []


def test_a_written_path_is_found():
    for line in ('<a href="/track">', '<form method="post" action="/file/{{ kind }}/confirm">',
                 '<script src="/static/portal.js">', '<div hx-get="/opinions">', '<a href="{% block home %}/{% endblock %}">'):
        assert literal_paths(line, "sneaky.html") == ["sneaky.html:1"], line
    assert literal_paths('<a href="{{ url_for(\'track_login\') }}">', "fine.html") == []
    assert literal_paths('<a href="mailto:{{ agency.email }}">', "fine.html") == []
