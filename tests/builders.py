"""What the tests build: the events one service publishes for another, staff tokens, the clock a
test moves by hand, and the check of a problem answer. (What an applicant sends, filings and
their files, is in tests/files.py.)

Every event builder takes the filing's tracking number first and the rest as keywords, with
defaults a test changes only where it matters to it; ``at`` is when the event happened (the
envelope's time, and for a filing also when intake received it), now when left out."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from shared.auth import issue_token
from shared.calendar import AGENCY_TZ
from shared.envelope import Envelope
from shared.events import (
    Applicant,
    EventData,
    NotificationSent,
    ReviewDecided,
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
    TaskEvent,
)
from shared.lifecycle import Status
from shared.settings import DEVELOPMENT_JWT_SECRET

# The service that publishes each family of events (the first word of the event's type).
PUBLISHERS = {"submission": "intake", "review": "review", "committee": "review", "notification": "notifier",
              "report": "reporting"}
# A document as intake describes it in submission.received (the file itself need not exist).
DOC = {"name": "plan.pdf", "type": "project_file", "sha256": "ab" * 32, "size": 1024,
       "content_type": "application/pdf"}
DETAILS = {"parcel": "TF 1234/K", "commune": "Khénifra", "project_size": "small"}
# Someone whose every personal field is easy to look for in what must not show it.
YOUSSEF = Applicant(full_name="Youssef El Idrissi", email="youssef@example.ma", phone="+212611111111", language="fr")
YOUSSEF_IDS = {"cin": "BE998877", "ice": "001525879000045"}
PERSONAL = ("Youssef", "El Idrissi", YOUSSEF.email, YOUSSEF.phone, *YOUSSEF_IDS.values())


def new_tracking_number() -> str:
    return f"LMD-2025-{uuid.uuid4().hex[:6].upper()}"


def local(day: date | str, hour: int = 10, minute: int = 0) -> datetime:
    """That day and hour at the agency (Africa/Casablanca); ``day`` a date or "YYYY-MM-DD"."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AGENCY_TZ)


def enveloped(data: EventData, *, at: datetime | None = None) -> Envelope:
    """``data`` in the envelope its service publishes it in: about its filing, correlated by it."""
    subject = data.tracking_number
    envelope = Envelope.new(data, source=PUBLISHERS[data.TYPE.split(".")[0]], subject=subject,
                            correlation_id=f"corr-{subject}")
    return envelope if at is None else envelope.model_copy(update={"time": at})


def applicant_of(tracking_number: str, language: str = "fr") -> Applicant:
    """The filing's applicant, reachable at an address of their own: a test finds their emails by it."""
    return Applicant(full_name="Fatima Zahra El Idrissi", email=f"{tracking_number.lower()}@example.ma",
                     language=language)


def by_youssef(**details) -> dict:
    """``received(…, **by_youssef())``: filed by Youssef, his IDs in the details (with ``details``)."""
    return {"applicant": YOUSSEF, "details": {**YOUSSEF_IDS, **details}}


def received(tracking_number: str, kind: str = "pre_study", *, at: datetime | None = None, language: str = "fr",
             applicant: Applicant | None = None, details: dict | None = None, documents: list | None = None,
             **fields: Any) -> Envelope:
    """submission.received: by default one document (DOC) and the details of DETAILS; ``fields`` are
    the event's others (previous_tracking_number)."""
    data = SubmissionReceived(
        tracking_number=tracking_number, kind=kind, received_at=at or datetime.now(UTC),
        applicant=applicant or applicant_of(tracking_number, language),
        details=DETAILS if details is None else details, documents=[DOC] if documents is None else documents,
        **fields,
    )
    return enveloped(data, at=at)


def resubmitted(tracking_number: str, kind: str = "pre_study", *, message: str = "Voici le plan.",
                documents: list | None = None, at: datetime | None = None) -> Envelope:
    data = SubmissionResubmitted(tracking_number=tracking_number, kind=kind, message=message,
                                 documents=documents or [])
    return enveloped(data, at=at)


def withdrawn(tracking_number: str, kind: str = "complaint", *, reason: str | None = None,
              at: datetime | None = None) -> Envelope:
    return enveloped(SubmissionWithdrawn(tracking_number=tracking_number, kind=kind, reason=reason), at=at)


def review_event(model: type[TaskEvent], tracking_number: str, kind: str = "complaint", *, status: str,
                 version: int = 3, at: datetime | None = None, **fields: Any) -> Envelope:
    """One of review's task events (``model``) for a task of its own."""
    data = model(task_id=uuid.uuid4(), tracking_number=tracking_number, kind=kind, status=status, version=version,
                 **fields)
    return enveloped(data, at=at)


def decided(tracking_number: str, kind: str = "complaint", *, outcome: str = "answered",
            text: str = "Réponse à M. El Idrissi", version: int = 5, at: datetime | None = None,
            **fields: Any) -> Envelope:
    return review_event(ReviewDecided, tracking_number, kind, status=Status.DECIDED, version=version, at=at,
                        outcome=outcome, text=text, **fields)


def notification_sent(tracking_number: str, kind: str | None = "complaint", *, template: str = "receipt",
                      cause_event_id: uuid.UUID | None = None, at: datetime | None = None) -> Envelope:
    data = NotificationSent(delivery_id=uuid.uuid4(), tracking_number=tracking_number, kind=kind, template=template,
                            language="fr", cause_event_id=cause_event_id or uuid.uuid4())
    return enveloped(data, at=at)


STAFF_PASSWORD = "a long enough passphrase"  # of the staff members the tests add to the portal's directory


def staff_token(*roles: str, sub: str = "tester", secret: str = DEVELOPMENT_JWT_SECRET) -> str:
    """A staff member's JWT, signed as the services under test expect it (their development secret)."""
    return issue_token(secret, sub=sub, roles=list(roles))


def staff_headers(*roles: str, sub: str = "tester", secret: str = DEVELOPMENT_JWT_SECRET) -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token(*roles, sub=sub, secret=secret)}"}


class MovableClock:
    """The clock a service under test reads (``build_app(settings, clock=...)``): it says ``now``,
    which the test sets."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def assert_problem(answer, status: int) -> dict:
    """The answer is an RFC 9457 problem with this status; its body."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == status
    return body


def fields_of(problem: dict) -> list[str]:
    """The fields a problem answer names as wrong (``assert_problem``'s body)."""
    return [error["field"] for error in problem.get("errors", [])]
