"""An Open311 client as the tests play it: what FixMyStreet sends (a service request's form), how
it reads an error answer, and its API key, issued by the real command line (`lamadi open311 keys
add`). The answers themselves are checked against the specification by tests/open311_spec.py."""

from __future__ import annotations

import re

from tests.open311_spec import check_xml
from tests.support import run_cli

V2 = "/open311/v2"
KHENIFRA = {"lat": "32.9394", "long": "-5.6675"}
CASABLANCA = {"lat": "33.5731", "long": "-7.5898"}  # in Morocco, outside the agency's area
KEY = re.compile(r"[A-Za-z0-9_-]{43}")  # 256 random bits, URL-safe base64


async def issue_key(client: str = "fixmystreet") -> str:
    """A key from `lamadi open311 keys add`, as printed on stdout. In this process the services'
    logs to stdout land there too while it runs (structlog prints to whatever sys.stdout is)."""
    code, out, err = await run_cli("open311", "keys", "add", client)
    assert code == 0, err
    [key] = [line for line in out.splitlines() if KEY.fullmatch(line)]
    return key


def fixmystreet_form(key: str, /, **changes) -> dict:
    """A POST requests body as FixMyStreet's Open311 client sends it: names split, the title first
    in the description, the report's link, and the service definition's attributes."""
    form = {
        "api_key": key, "jurisdiction_id": "agence-urbaine-khenifra.ma", "service_code": "complaint",
        **KHENIFRA, "email": "youssef.alami@example.ma", "first_name": "Youssef", "last_name": "Alami",
        "phone": "+212 661 000 111",
        "description": "Chantier sans panneau\n\nUn immeuble R+2 monte rue Zerktouni sans panneau d'autorisation."
                       "\n\nhttps://fixmystreet.example.ma/report/42\n",
        "media_url": "https://fixmystreet.example.ma/photo/42.0.full.jpeg",
        "attribute[topic]": "missing_permit_sign", "attribute[fixmystreet_id]": "42",
    }
    return {key: value for key, value in {**form, **changes}.items() if value is not None}


def errors_of(answer, status: int) -> list[str]:
    """The descriptions of an Open311 error answer (XML or JSON), after checking its form."""
    assert answer.status_code == status, answer.text
    if answer.headers["content-type"].startswith("text/xml"):
        root = check_xml(answer.content, "errors")
        assert [e.findtext("code") for e in root] == [str(status)] * len(root)
        return [e.findtext("description") for e in root]
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert {e["code"] for e in answer.json()} == {status}
    return [e["description"] for e in answer.json()]
