"""The portal's protections, on the app in this process with its own schema on the test
database (intake is not needed: it is pointed at a closed port): headers and CSP, cookie
flags, CSRF, rate limits, language, readiness."""

import re

import pytest

from services.portal.api.security import Sealer
from services.portal.settings import PortalSettings
from tests.in_process import served
from tests.pages import csrf_token
from tests.support import free_port


@pytest.fixture
async def portal(env, tmp_path):
    """The portal alone, its intake a closed port (so never ready), tracking limited to 3 a minute."""
    settings = PortalSettings(intake_url=f"http://127.0.0.1:{free_port()}", staging_dir=tmp_path,
                              tracking_rate_limit="3/minute", log_json=True)
    async with served("portal", settings, wait_ready=False) as portal:
        yield portal


async def token(portal) -> str:
    return csrf_token((await portal.client.get("/track")).text)


async def test_pages_carry_a_strict_csp_and_cookies_are_httponly_secure_and_samesite(portal):
    answer = await portal.client.get("/track")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("csrf=") and "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert 'script' not in re.sub(r'<script src="/static/[^"]+" defer></script>', "", answer.text)


async def test_a_form_without_its_csrf_token_is_refused(portal):
    await portal.client.get("/track")  # the cookie is there; the form field is not
    refused = await portal.client.post("/track", data={"tracking_number": "AU-2026-AAAAA-BBBBB", "access_code": "x"})
    assert refused.status_code == 403 and "انتهت صلاحية جلستك" in refused.text
    forged = await portal.client.post("/track", data={"csrftoken": "forged", "tracking_number": "x", "access_code": "x"})
    assert forged.status_code == 403
    accepted = await portal.client.post("/track", data={"csrftoken": await token(portal), "tracking_number": ""})
    assert accepted.status_code == 422  # past the CSRF check: the empty fields are named
    assert 'href="#t-tracking_number"' in accepted.text and 'href="#t-access_code"' in accepted.text


async def test_tracking_attempts_are_limited_per_client_with_retry_after(portal):
    form = {"csrftoken": await token(portal), "tracking_number": "", "access_code": ""}
    assert [(await portal.client.post("/track", data=form)).status_code for _ in range(3)] == [422, 422, 422]
    limited = await portal.client.post("/track", data=form)
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 60


async def test_arabic_by_default_french_by_cookie_and_no_open_redirect(portal):
    home = await portal.client.get("/accessibility")
    assert '<html lang="ar" dir="rtl">' in home.text and "bootstrap.rtl.min.css" in home.text
    switched = await portal.client.get("/language/fr", params={"next": "//evil.example/x"})
    assert switched.status_code == 303 and switched.headers["location"] == "/"
    assert '<html lang="fr" dir="ltr">' in (await portal.client.get("/accessibility")).text
    kept = await portal.client.get("/language/ar", params={"next": "/opinions?kind=building_permit"})
    assert kept.headers["location"] == "/opinions?kind=building_permit"


async def test_ready_only_when_intake_answers(portal):
    assert (await portal.client.get("/healthz")).status_code == 200
    ready = await portal.client.get("/readyz")
    # No broker check: the portal uses none, and a broker outage must not hide the public pages.
    assert ready.status_code == 503 and ready.json()["checks"] == {"database": True, "intake": False}


async def test_intake_down_gives_a_page_not_a_stack_trace(portal):
    answer = await portal.client.get("/file/complaint")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
    assert "text/html" in answer.headers["content-type"]


def test_sealed_cookies_cannot_be_read_or_forged_without_the_secret():
    sealer = Sealer("secret", "track")
    sealed = sealer.seal({"tracking_number": "AU-2026-AAAAA-BBBBB", "access_code": "code-123"})
    assert "code-123" not in sealed
    assert sealer.unseal(sealed, max_age=60) == {"tracking_number": "AU-2026-AAAAA-BBBBB", "access_code": "code-123"}
    assert Sealer("other", "track").unseal(sealed, max_age=60) is None
    assert Sealer("secret", "pending").unseal(sealed, max_age=60) is None  # one purpose per key
    assert sealer.unseal(sealed[:-4] + "AAAA", max_age=60) is None


def test_the_development_secret_is_refused_in_production():
    with pytest.raises(ValueError, match="LAMADI_PORTAL_SECRET"):
        PortalSettings(env="production", jwt_secret="set")


def test_the_test_password_profile_is_refused_in_production():
    with pytest.raises(ValueError, match="LAMADI_PASSWORD_HASH_PROFILE"):
        PortalSettings(env="production", jwt_secret="set", portal_secret="set", password_hash_profile="CHEAPEST")
    assert PortalSettings(env="production", jwt_secret="set", portal_secret="set").password_hash_profile == (
        "RFC_9106_LOW_MEMORY")
