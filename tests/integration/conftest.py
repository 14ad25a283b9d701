"""The integration tests' fixtures: the five services in this process, each a ServiceUnderTest
(tests/in_process.py) on the test's database, broker vhost and mail catcher.

A module changes what a service starts with by overriding a fixture of the same name: ``clock``
(the system clock unless a module gives a MovableClock), ``documents_dir`` (the blob store intake
writes and review and the portal read) or ``<service>_settings``."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.intake.settings import IntakeSettings
from services.notifier.settings import NotifierSettings
from services.portal.settings import PortalSettings
from services.reporting.settings import ReportingSettings
from services.review.settings import ReviewSettings
from tests.in_process import Intake, Portal, Reporting, Review, ServiceUnderTest, portal_in_front_of, served
from tests.open311_client import issue_key
from tests.support import free_port


@pytest.fixture(autouse=True)
def pdfs_drawn_in_a_thread(monkeypatch):
    """The services in this process draw and seal their PDFs in a thread (LAMADI_PDF_WORKERS=0),
    not in a worker process each notifier would spawn: a spawn costs about 2 s of CPU (Python,
    the app and pyHanko imported again), more than most tests. The worker processes, as
    deployed, are what the e2e tier's services use (and test_notifier_sending.py's pool tests)."""
    monkeypatch.setenv("LAMADI_PDF_WORKERS", "0")


@pytest.fixture
def clock():
    """None: the services read the system clock. A module that moves time overrides this with a
    tests.builders.MovableClock."""
    return None


@pytest.fixture
def documents_dir(env, tmp_path, monkeypatch) -> Path:
    """The blob store of the services in this process (LAMADI_DOCUMENTS_DIR), and beside it the
    stores of the documents the notifier issues and of the daily report's files, shared as deployed."""
    path = tmp_path / "documents"
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(path))
    monkeypatch.setenv("LAMADI_ISSUED_DOCUMENTS_DIR", str(tmp_path / "issued-documents"))
    monkeypatch.setenv("LAMADI_REPORT_FILES_DIR", str(tmp_path / "report-files"))
    return path


@pytest.fixture
def unreachable_smtp(env, monkeypatch) -> int:
    """The port of a mail server that is not there (LAMADI_SMTP_PORT): nothing listens on it."""
    port = free_port()
    monkeypatch.setenv("LAMADI_SMTP_PORT", str(port))
    return port


@pytest.fixture
def intake_settings(env, documents_dir) -> IntakeSettings:
    return IntakeSettings()


@pytest.fixture
def review_settings(env, documents_dir) -> ReviewSettings:
    return ReviewSettings()


@pytest.fixture
def notifier_settings(env, documents_dir) -> NotifierSettings:
    return NotifierSettings()


@pytest.fixture
def reporting_settings(env, documents_dir) -> ReportingSettings:
    return ReportingSettings()


@pytest.fixture
def portal_settings(env, documents_dir, tmp_path) -> PortalSettings:
    """Plain settings but for rate limits no test run reaches and a short lockout to count to."""
    return PortalSettings(staging_dir=tmp_path / "staging", sign_in_attempts=3, lockout_seconds=600,
                          sign_in_rate_limit="1000/minute", filing_rate_limit="1000/minute",
                          tracking_rate_limit="1000/minute")


@pytest.fixture
async def intake(intake_settings, clock) -> Intake:
    async with served("intake", intake_settings, clock=clock) as service:
        yield service


@pytest.fixture
async def review(review_settings, broker, clock) -> Review:
    async with served("review", review_settings, clock=clock) as service:
        yield service


@pytest.fixture
async def notifier(notifier_settings, broker) -> ServiceUnderTest:
    async with served("notifier", notifier_settings) as service:
        yield service


@pytest.fixture
async def reporting(reporting_settings, broker, clock) -> Reporting:
    async with served("reporting", reporting_settings, clock=clock) as service:
        yield service


@pytest.fixture
async def portal(portal_settings, intake_settings, review_settings, notifier_settings, reporting_settings, broker,
                 clock) -> Portal:
    """The portal in front of the four services, all started here together: it calls their apps.
    A test reaches them as ``portal.behind[name]`` (``portal.review``), not by their own fixtures,
    which would start second copies."""
    behind = {"intake": intake_settings, "review": review_settings, "notifier": notifier_settings,
              "reporting": reporting_settings}
    async with portal_in_front_of(portal_settings, behind, clock=clock) as service:
        yield service


@pytest.fixture
async def public_portal(portal_settings, intake_settings, broker, clock) -> Portal:
    """The portal in front of intake alone: what an applicant does (file, follow, answer, save a
    draft) needs no staff API. Intake is ``public_portal.behind["intake"]``."""
    async with portal_in_front_of(portal_settings, {"intake": intake_settings}, clock=clock) as service:
        yield service


@pytest.fixture
async def api_key(intake) -> str:
    """An Open311 client's key, issued by the command line (tests/open311_client.py)."""
    return await issue_key()
