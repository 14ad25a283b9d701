"""The public filing form, in this process against intake in this process (real database and
broker): how its errors name fields and say what is wrong, in both languages."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from services.intake.bootstrap import build_app as intake_app
from services.intake.settings import IntakeSettings
from services.portal.adapters.intake import IntakeClient
from services.portal.bootstrap import build_app as portal_app
from services.portal.settings import PortalSettings

CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')
SUMMARY = re.compile(r'<div class="error-summary.*?</div>', re.S)
LABEL = re.compile(r'<label[^>]*for="f-location-(?:lat|long)"[^>]*>(.*?)</label>', re.S)
COMPLAINT = {"subtype": "complaint", "subject": "Chantier sans panneau",
             "message": "Un chantier rue 12 ne montre aucun panneau depuis trois semaines.",
             "applicant.full_name": "Amina Berrada", "applicant.email": "amina@example.ma"}


@pytest.fixture
async def portal(env, broker, tmp_path, monkeypatch):
    """The portal in this process, calling intake in this process over ASGI."""
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    intake = intake_app(IntakeSettings())
    app = portal_app(PortalSettings(intake_url="http://intake.test", staging_dir=tmp_path / "staging",
                                    filing_rate_limit="1000/minute"))
    async with intake.router.lifespan_context(intake), app.router.lifespan_context(app):
        await app.state.deps.intake.close()
        app.state.deps.intake = IntakeClient("http://intake.test", 10, transport=httpx.ASGITransport(app=intake))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://portal.test") as browser:
            yield browser


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


async def file_complaint_at(portal: httpx.AsyncClient, language: str, **place: str) -> httpx.Response:
    portal.cookies.set("lang", language, domain="portal.test")
    token = CSRF_FIELD.search((await portal.get("/file/complaint")).text).group(1)
    checked = await portal.post("/file/complaint", data={"csrftoken": token, **COMPLAINT, **place})
    assert checked.status_code == 303, text_of(SUMMARY.search(checked.text).group(0))
    return await portal.post("/file/complaint/confirm", data={"csrftoken": token})


@pytest.mark.parametrize(("language", "outside", "field"), [
    ("ar", "خارج نطاق", "الموقع"),
    ("fr", "en dehors du territoire", "Emplacement"),
])
async def test_a_place_outside_the_area_is_named_and_said_in_words(portal, language, outside, field):
    answer = await file_complaint_at(portal, language, **{"location.lat": "2", "location.long": "2"})
    assert answer.status_code == 422
    summary = text_of(SUMMARY.search(answer.text).group(0))
    assert "Project-Id-Version" not in summary and "Report-Msgid" not in answer.text
    assert outside in summary and field in summary, summary
    assert 'href="#f-location-lat"' in answer.text  # the link leads to the place's first input


async def test_a_nested_field_the_portal_checks_is_named_by_its_label(portal):
    portal.cookies.set("lang", "fr", domain="portal.test")
    token = CSRF_FIELD.search((await portal.get("/file/complaint")).text).group(1)
    answer = await portal.post("/file/complaint", data={"csrftoken": token, **COMPLAINT, "location.lat": "200"})
    assert answer.status_code == 422
    summary = text_of(SUMMARY.search(answer.text).group(0))
    assert "« Latitude »" in summary and "Project-Id-Version" not in summary, summary


@pytest.mark.parametrize(("language", "marker"), [("ar", "(اختياري)"), ("fr", "(facultatif)")])
async def test_the_optional_marker_is_shown_once_on_the_location_fields(portal, language, marker):
    portal.cookies.set("lang", language, domain="portal.test")
    for kind in ("complaint", "information_note"):
        page = await portal.get(f"/file/{kind}")
        labels = [text_of(label) for label in LABEL.findall(page.text)]
        assert len(labels) == 2 and all(label.count(marker) == 1 for label in labels), labels
