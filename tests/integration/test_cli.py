"""The ``lamadi`` command line against the real broker (test vhost), reporting and mail catcher."""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
from datetime import UTC, datetime
from email.message import EmailMessage

import jwt
import pytest

from lamadi_cli.main import main
from shared.envelope import Envelope
from shared.events import SubmissionWithdrawn
from shared.messaging.broker import Broker, envelope_message
from shared.messaging.consumer import ATTEMPT_HEADER
from shared.messaging.topology import queues_of
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support import ROOT, ServiceProcess, free_port, queue_depth, run_cli, wait_until

SPEC = queues_of("review")[0]  # lamadi.review.submissions


def parked_event(n: int) -> Envelope:
    data = SubmissionWithdrawn(tracking_number=f"AU-P-{n}", kind="complaint")
    return Envelope.new(data, source="test", subject=f"AU-P-{n}", correlation_id=f"corr-p-{n}")


@pytest.fixture
async def parked(broker):
    """Three messages parked after their retries, as the consumer leaves them."""
    events = [parked_event(n) for n in range(3)]
    for event in events:
        headers = {ATTEMPT_HEADER: 2, "x-lamadi-error": f"RuntimeError('failure {event.subject}')",
                   "x-lamadi-parked-at": datetime.now(UTC).isoformat()}
        await broker.send_to_queue(SPEC.parked, envelope_message(event, headers=headers))
    return events


async def drain(broker: Broker, queue: str) -> list:
    """Take every message of ``queue`` (acknowledged)."""
    declared = await broker.channel.declare_queue(queue, durable=True, robust=False)
    taken = []
    while (message := await declared.get(fail=False)) is not None:
        await message.ack()
        taken.append(message)
    return taken


def test_token_carries_the_roles_and_subject_given(capsys):
    assert main(["token", "--role", "reviewer", "--role", "committee", "--sub", "amina", "--hours", "2"]) == 0
    token = capsys.readouterr().out.strip()
    claims = jwt.decode(token, DEVELOPMENT_JWT_SECRET, algorithms=["HS256"], issuer="lamadi")
    assert claims["sub"] == "amina"
    assert claims["roles"] == ["reviewer", "committee"]
    assert claims["exp"] - claims["iat"] == 2 * 3600


def test_token_is_signed_with_the_configured_secret(capsys, monkeypatch):
    monkeypatch.setenv("LAMADI_JWT_SECRET", "another-secret-for-this-test-only-0123456789")
    assert main(["token", "--role", "ops", "--sub", "omar"]) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.decode(token, "another-secret-for-this-test-only-0123456789", algorithms=["HS256"], issuer="lamadi")["roles"] == ["ops"]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, DEVELOPMENT_JWT_SECRET, algorithms=["HS256"], issuer="lamadi")


@pytest.mark.parametrize("argv", [
    [],
    ["token", "--sub", "amina"],
    ["token", "--role", "janitor", "--sub", "amina"],
    ["token", "--role", "ops", "--sub", "amina", "--hours", "-1"],
    ["ops", "parked", "drop", SPEC.name, "--count", "zero"],
    ["ops", "parked"],
    ["nonsense"],
])
def test_bad_usage_exits_with_2_and_says_why(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert capsys.readouterr().err.strip()


@pytest.mark.slow  # a process of its own
def test_the_installed_command_runs_as_a_process():
    done = subprocess.run([sys.executable, "-m", "lamadi_cli.main", "token", "--role", "admin", "--sub", "root"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "LAMADI_JWT_SECRET"})
    assert done.returncode == 0, done.stderr
    assert jwt.decode(done.stdout.strip(), DEVELOPMENT_JWT_SECRET, algorithms=["HS256"], issuer="lamadi")["sub"] == "root"
    usage = subprocess.run([sys.executable, "-m", "lamadi_cli.main", "ops", "parked", "list"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "QUEUE" in usage.stderr


async def test_unknown_queue_is_refused_with_the_known_ones(env):
    code, _, err = await run_cli("ops", "parked", "list", "lamadi.nowhere")
    assert code == 2
    assert "lamadi.nowhere" in err and SPEC.name in err and "lamadi.reporting.entries" in err


async def test_parked_list_shows_the_messages_and_leaves_them_parked(broker, parked):
    code, out, _ = await run_cli("ops", "parked", "list", SPEC.name)
    assert code == 0, out
    for event in parked:
        assert str(event.id) in out and event.subject in out and f"failure {event.subject}" in out
    assert SubmissionWithdrawn.TYPE in out
    await wait_until(lambda: queue_depth(broker, SPEC.parked), message="messages back in the parked queue")
    assert await queue_depth(broker, SPEC.parked) == 3
    assert await queue_depth(broker, SPEC.name) == 0
    # A second look shows the same three.
    code, again, _ = await run_cli("ops", "parked", "list", SPEC.parked)
    assert code == 0 and all(str(event.id) in again for event in parked)


async def test_parked_replay_moves_messages_back_with_their_attempts_reset(broker, parked):
    code, out, _ = await run_cli("ops", "parked", "replay", SPEC.name, "--count", "2")
    assert code == 0, out
    assert "replayed 2 message(s)" in out
    replayed = await drain(broker, SPEC.name)
    assert [m.message_id for m in replayed] == [str(e.id) for e in parked[:2]]
    assert all(ATTEMPT_HEADER not in (m.headers or {}) for m in replayed)
    assert Envelope.model_validate_json(replayed[0].body) == parked[0]
    assert await queue_depth(broker, SPEC.parked) == 1

    code, out, _ = await run_cli("ops", "parked", "replay", SPEC.name)
    assert code == 0 and "replayed 1 message(s)" in out
    assert [m.message_id for m in await drain(broker, SPEC.name)] == [str(parked[2].id)]
    assert await queue_depth(broker, SPEC.parked) == 0
    code, out, _ = await run_cli("ops", "parked", "replay", SPEC.name)
    assert code == 0 and "no parked messages" in out


async def test_parked_drop_removes_messages_after_printing_them(broker, parked):
    code, out, _ = await run_cli("ops", "parked", "drop", SPEC.name, "--count", "1")
    assert code == 0
    assert str(parked[0].id) in out and str(parked[1].id) not in out
    assert "dropped 1 message(s)" in out
    assert await queue_depth(broker, SPEC.parked) == 2
    code, out, _ = await run_cli("ops", "parked", "drop", SPEC.name)
    assert code == 0 and "dropped 2 message(s)" in out
    assert await queue_depth(broker, SPEC.parked) == 0
    assert await queue_depth(broker, SPEC.name) == 0  # dropped, not replayed


@pytest.mark.slow  # reporting as a process
async def test_ops_queues_prints_the_reporting_service_figures(env, broker, tmp_path):
    await broker.send_to_queue(SPEC.parked, envelope_message(parked_event(9)))
    reporting = ServiceProcess("reporting", env, tmp_path)
    try:
        await reporting.wait_ready()

        async def table_shows_the_parked_message():
            code, out, err = await run_cli("ops", "queues", "--url", reporting.url)
            assert code == 0, err
            line = next(line for line in out.splitlines() if line.startswith(SPEC.name + " "))
            return out if line.split()[-1] == "1" else None

        out = await wait_until(table_shows_the_parked_message, timeout=30, interval=1, message="parked in table")
        header = out.splitlines()[1].split()
        assert header == ["queue", "ready", "unacked", "consumers", "retrying", "parked"]
        assert "lamadi.reporting.entries" in out
    finally:
        reporting.stop()


async def test_ops_queues_says_clearly_when_reporting_is_not_there(env):
    code, _, err = await run_cli("ops", "queues", "--url", f"http://127.0.0.1:{free_port()}")
    assert code == 1
    assert "cannot reach the reporting service" in err


def test_mail_list_shows_what_the_catcher_caught(mailcatcher, capsys):
    message = EmailMessage()
    message["From"] = "noreply@lamadi.test"
    message["To"] = "architecte@example.ma"
    message["Subject"] = "Récépissé AU-2025-000042"
    message.set_content("Votre dossier a été reçu.")
    with smtplib.SMTP("127.0.0.1", mailcatcher.port, timeout=10) as smtp:
        smtp.send_message(message)
    assert mailcatcher.messages(), "the mail catcher kept nothing"
    assert main(["mail", "list", "--maildir", str(mailcatcher.maildir)]) == 0
    out = capsys.readouterr().out
    assert "Récépissé AU-2025-000042" in out and "architecte@example.ma" in out
