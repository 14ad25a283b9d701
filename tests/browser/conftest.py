"""Browser tests: the whole system as deployed (intake, review, notifier, reporting and the
portal, each its own process, a mail catcher) started once for the browser session, and
Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from lamadi_cli.mailcatcher import MailCatcher
from tests.browser.portal import ARTEFACTS
from tests.support import (
    SERVICES,
    Fleet,
    create_database,
    create_vhost,
    delete_vhost,
    drop_database,
    free_port,
    portal_env,
    service_env,
)

CHROMIUM = os.environ.get("LAMADI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists():  # `make setup` installs it; say so rather than fail obscurely
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: run `make setup` (apt-get install chromium)")
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
async def portal_system(tmp_path_factory, migrated_template):
    """One running system for every browser test (each test files under its own address): the
    four services and the portal, one process each."""
    database, vhost = await create_database(template=migrated_template), await create_vhost()
    tmp = tmp_path_factory.mktemp("browser")
    mailcatcher = MailCatcher(tmp / "mail", port=free_port()).start()
    # Ports known before anything starts: a draft's emailed link opens the portal, and the
    # portal calls the others.
    ports = {name: free_port() for name in (*SERVICES, "portal")}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = service_env(database, vhost, LAMADI_SMTP_PORT=str(mailcatcher.port),
                      LAMADI_DOCUMENTS_DIR=str(tmp / "documents"), LAMADI_PORTAL_URL=url["portal"])
    portal = {**portal_env(url["intake"], tmp / "staging"), "LAMADI_OPS_REFRESH_SECONDS": "2",
              **{f"LAMADI_{name.upper()}_URL": url[name] for name in ("review", "notifier", "reporting")}}
    system = await Fleet.start((*SERVICES, "portal"), env, tmp / "logs", mailcatcher, instances=1,
                               per_service={"portal": portal}, ports=ports)
    system.env = env  # the staff accounts are added to this database (tests/browser/staff.py)
    try:
        yield system
    finally:
        codes = await system.stop()
        mailcatcher.stop()
        _keep_logs(tmp / "logs")
        await drop_database(database)
        await delete_vhost(vhost)
    stopped = system.services["portal"]
    assert codes[stopped.log_path.stem] in (0, -15) and '"service_stopped"' in stopped.log_path.read_text(), \
        "the portal did not stop cleanly on SIGTERM"


def _keep_logs(logs: Path) -> None:
    target = ARTEFACTS / "logs"
    target.mkdir(parents=True, exist_ok=True)
    for log in logs.iterdir():
        shutil.copy(log, target / log.name)


@pytest.fixture(scope="session")
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def new_page(browser, portal_system):
    """``await new_page(js=False)``: a page in a fresh browser context (its own cookies)."""
    contexts = []

    async def make(js: bool = True):
        context = await browser.new_context(java_script_enabled=js, base_url=portal_system.services["portal"].url,
                                            viewport={"width": 1200, "height": 900})
        context.set_default_timeout(30_000)  # a loaded 2-core machine is slow, not broken
        contexts.append(context)
        return await context.new_page()

    yield make
    for context in contexts:
        await context.close()
