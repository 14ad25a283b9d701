"""The public filing form, in this process against intake in this process (real database and
broker): how its errors name fields and say what is wrong, in both languages."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.pages import csrf_token

SUMMARY = re.compile(r'<div class="error-summary.*?</div>', re.S)
LABEL = re.compile(r'<label[^>]*for="f-location-(?:lat|long)"[^>]*>(.*?)</label>', re.S)
COMPLAINT = {"subtype": "complaint", "subject": "Chantier sans panneau",
             "message": "Un chantier rue 12 ne montre aucun panneau depuis trois semaines.",
             "applicant.full_name": "Amina Berrada", "applicant.email": "amina@example.ma"}


@pytest.fixture
def browser(public_portal) -> httpx.AsyncClient:
    """An applicant's browser on the portal (in front of intake, both in this process)."""
    return public_portal.new_client()


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


async def file_complaint_at(browser: httpx.AsyncClient, language: str, **place: str) -> httpx.Response:
    browser.cookies.set("lang", language, domain="portal.test")
    token = csrf_token((await browser.get("/file/complaint")).text)
    checked = await browser.post("/file/complaint", data={"csrftoken": token, **COMPLAINT, **place})
    assert checked.status_code == 303, text_of(SUMMARY.search(checked.text).group(0))
    return await browser.post("/file/complaint/confirm", data={"csrftoken": token})


@pytest.mark.parametrize(("language", "outside", "field"), [
    ("ar", "خارج نطاق", "الموقع"),
    ("fr", "en dehors du territoire", "Emplacement"),
])
async def test_a_place_outside_the_area_is_named_and_said_in_words(browser, language, outside, field):
    answer = await file_complaint_at(browser, language, **{"location.lat": "2", "location.long": "2"})
    assert answer.status_code == 422
    summary = text_of(SUMMARY.search(answer.text).group(0))
    assert "Project-Id-Version" not in summary and "Report-Msgid" not in answer.text
    assert outside in summary and field in summary, summary
    assert 'href="#f-location-lat"' in answer.text  # the link leads to the place's first input


async def test_a_nested_field_the_portal_checks_is_named_by_its_label(browser):
    browser.cookies.set("lang", "fr", domain="portal.test")
    token = csrf_token((await browser.get("/file/complaint")).text)
    answer = await browser.post("/file/complaint", data={"csrftoken": token, **COMPLAINT, "location.lat": "200"})
    assert answer.status_code == 422
    summary = text_of(SUMMARY.search(answer.text).group(0))
    assert "« Latitude »" in summary and "Project-Id-Version" not in summary, summary


@pytest.mark.parametrize(("language", "marker"), [("ar", "(اختياري)"), ("fr", "(facultatif)")])
async def test_the_optional_marker_is_shown_once_on_the_location_fields(browser, language, marker):
    browser.cookies.set("lang", language, domain="portal.test")
    for kind in ("complaint", "information_note"):
        page = await browser.get(f"/file/{kind}")
        labels = [text_of(label) for label in LABEL.findall(page.text)]
        assert len(labels) == 2 and all(label.count(marker) == 1 for label in labels), labels
