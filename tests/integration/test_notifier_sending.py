"""What sending an email costs the notifier, counted (never timed): SMTP connections opened at a
real aiosmtpd server, templates rendered, PDFs drawn."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from services.notifier.adapters.mailer import Mailer, MailNotSent
from services.notifier.adapters.mime import build_message
from services.notifier.domain.emails import RenderedEmail
from services.notifier.settings import NotifierSettings
from tests.builders import received
from tests.support import ROOT, emails_about, free_port, wait_until


class CountingServer(Controller):
    """aiosmtpd counting the connections made to it and the messages it took."""

    def __init__(self, port: int):
        self.connections, self.messages = 0, []
        super().__init__(self, hostname="127.0.0.1", port=port)

    def start(self) -> None:
        super().start()
        self.connections = 0  # start() made one itself, to see the server answer

    def factory(self) -> SMTP:
        server = SMTP(self.handler, **self.SMTP_kwargs)
        made = server.connection_made

        def counted(transport):
            self.connections += 1
            made(transport)
        server.connection_made = counted
        return server

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    server = CountingServer(free_port())
    server.start()
    yield server
    server.stop()


def message(n: int):
    email = RenderedEmail("receipt", "fr", f"Accusé de réception UA-{n}", "Bonjour\n", "<p>Bonjour</p>")
    return build_message(email, mail_from="Agence <no-reply@lamadi.local>", to_address=f"a{n}@example.ma",
                         to_name="Amina", message_id=f"<{n}@lamadi.local>", date=datetime.now(UTC))


async def send(mailer: Mailer, n: int) -> None:
    await mailer.send(message(n), sender="no-reply@lamadi.local", recipients=[f"a{n}@example.ma"])


async def test_one_smtp_connection_carries_several_emails(smtp_server):
    mailer = Mailer(NotifierSettings(smtp_port=smtp_server.port))
    for n in range(3):
        await send(mailer, n)
    assert len(smtp_server.messages) == 3
    assert smtp_server.connections == 1
    await mailer.close()


async def test_a_kept_connection_the_server_dropped_is_replaced_and_the_email_still_sent():
    first = CountingServer(free_port())
    first.start()
    mailer = Mailer(NotifierSettings(smtp_port=first.port))
    await send(mailer, 1)
    first.stop()  # the server restarts: the kept connection is dead
    again = CountingServer(first.port)
    again.start()
    try:
        await send(mailer, 2)
        assert (len(again.messages), again.connections) == (1, 1)
    finally:
        await mailer.close()
        again.stop()


async def test_no_connection_is_kept_when_the_setting_says_none(smtp_server):
    mailer = Mailer(NotifierSettings(smtp_port=smtp_server.port, smtp_connections=0))
    for n in range(2):
        await send(mailer, n)
    assert (len(smtp_server.messages), smtp_server.connections) == (2, 2)


async def test_a_new_smtp_port_is_used_at_once_and_an_unreachable_one_is_reported(smtp_server):
    settings = NotifierSettings(smtp_port=free_port())  # nothing listens there
    mailer = Mailer(settings)
    with pytest.raises(MailNotSent, match="SMTPConnect"):
        await send(mailer, 1)
    settings.smtp_port = smtp_server.port
    await send(mailer, 2)
    assert len(smtp_server.messages) == 1
    await mailer.close()


ORPHAN = """
import asyncio, os, sys
from services.notifier.adapters.documents import Documents
from shared.catalogue import load_catalogue
from shared.pdf import resolve_font

async def main():
    documents = Documents(resolve_font(None), load_catalogue(), workers=1)
    await documents.warm()
    print(*documents.worker_pids(), flush=True)
    os._exit(1)  # as SIGKILL would: no clean-up at all

if __name__ == "__main__":
    asyncio.run(main())
"""


@pytest.mark.slow  # a process of its own
async def test_the_pdf_workers_do_not_outlive_a_notifier_killed_outright(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN)
    # The worker inherits the output pipe: without its exit, run() times out waiting for the end.
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # this checkout's code, not an installed one
    [worker] = [int(pid) for pid in done.stdout.split()]
    assert done.returncode == 1, done.stderr
    await wait_until(lambda: not Path(f"/proc/{worker}").exists() or _zombie(worker), timeout=15,
                     message="the orphaned PDF worker gone")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def test_a_receipt_is_rendered_once_and_its_pdf_drawn_once_across_retries_and_a_resend(
    unreachable_smtp, notifier, broker, mailcatcher
):
    runtime = notifier.runtime
    deps = runtime.deps
    rendered = Counter()
    render = deps.renderer.render

    def counted(template, language, context):
        rendered[template] += 1
        return render(template, language, context)
    deps.renderer.render = counted

    tracking = "UA-2025-000901"
    event = received(tracking, "building_permit")
    await broker.publish(event)
    delivery = await wait_until(lambda: runtime.pool.fetchrow(
        "SELECT * FROM deliveries WHERE event_id = $1 AND status = 'failed'", event.id),
        message="the receipt failed: first try and two retries")
    assert delivery["attempts"] == 3
    assert rendered == {"receipt": 3}  # once per handling of the event (it was rendered twice)
    assert deps.documents.drawn == 1  # the retries found the PDF kept

    runtime.settings.smtp_port = mailcatcher.port  # the mail server is back: an operator resends
    answer = await notifier.client.post(f"/api/v1/deliveries/{delivery['id']}/resend",
                                        headers=notifier.auth("supervisor", sub="supervisor-1"))
    assert answer.status_code == 200, answer.text
    [mail] = emails_about(mailcatcher, tracking)
    assert [part.get_filename() for part in mail.iter_attachments()] == [f"recepisse-{tracking}.pdf"]
    assert rendered == {"receipt": 4} and deps.documents.drawn == 1
