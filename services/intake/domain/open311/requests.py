"""Service requests, both ways: a POSTed Open311 request becomes a complaint filing, and a
complaint is shown as an Open311 request, with nothing that names or reaches the applicant.

Public, by design: the service (subtype), the topic (a closed list), the location, the
status and the dates. Never public: the applicant's name, email and phone, and the subject
and message, free text in which people write names, numbers and neighbours' doings. So
``description`` is always empty in answers, as the specification allows."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from services.intake.domain.commands import ListServiceRequests
from services.intake.domain.errors import ServiceNotFound
from services.intake.domain.filings import ComplaintFiling
from services.intake.domain.open311.services import COMPLAINT, SERVICE_CODES, SERVICE_NAMES, status_note
from shared.calendar import WorkingCalendar
from shared.catalogue import Catalogue
from shared.errors import DomainError, InvalidInput
from shared.lifecycle import OPEN_STATES, Status

Fields = Mapping[str, list[str]]  # a form: each name with its values, in order
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
MAX_WINDOW = timedelta(days=90)  # the specification's longest start_date..end_date span
PAGE_SIZE_MAX = 1000  # the specification's default query limit
MAX_IDS = 100
SUBJECT_MAX = 200

# Filing model field → the Open311 parameter that carried it, for error messages.
_PARAMETERS = {"full_name": "first_name/last_name", "email": "email", "phone": "phone", "language": "locale",
               "message": "description", "subject": "attribute[subject]", "topic": "attribute[topic]",
               "media_urls": "media_url", "lat": "lat", "long": "long", "address_string": "address_string"}


def _one(fields: Fields, name: str) -> str | None:
    values = [value.strip() for value in fields.get(name, []) if value.strip()]
    return values[-1] if values else None


def _coordinate(fields: Fields, name: str) -> float | None:
    text = _one(fields, name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(name, f"{name} must be decimal degrees (WGS 84), e.g. 32.9394; got {text!r}")
    return value


def attributes_of(fields: Fields) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&…`` (multivaluelist) → {code: [values]}."""
    found: dict[str, list[str]] = {}
    for name, values in fields.items():
        if match := ATTRIBUTE.match(name):
            found.setdefault(match.group(1), []).extend(value.strip() for value in values if value.strip())
    return found


def _subject(attributes: dict[str, list[str]], description: str, code: str) -> str:
    """The attribute if given; else the description's first line (FixMyStreet puts its title there)."""
    given = (attributes.get("subject") or [""])[-1]
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    subject = given or first_line[:SUBJECT_MAX].strip()
    return subject if len(subject) >= 3 else SERVICE_NAMES[code]["fr"]


def filing_of(fields: Fields, language: str) -> ComplaintFiling:
    """The complaint a POST requests form files; refused with the Open311 parameter at fault."""
    code = _one(fields, "service_code")
    if code is None:
        raise InvalidInput("service_code", "service_code was not provided", code="missing")
    if code not in SERVICE_CODES:
        raise ServiceNotFound(code, SERVICE_CODES)
    if _one(fields, "email") is None:
        raise InvalidInput("email", "email is required: the agency sends its receipt and its answer by email",
                           code="missing")
    description = _one(fields, "description") or ""
    attributes = attributes_of(fields)
    lat, long, address = _coordinate(fields, "lat"), _coordinate(fields, "long"), _one(fields, "address_string")
    if lat is None and long is None and address is None:
        refusal = ("a location is required: lat and long (WGS 84), or address_string"
                   + ("; address_id is not supported here" if _one(fields, "address_id") else ""))
        raise InvalidInput("lat/long or address_string", refusal, code="missing")
    raw = {
        "kind": COMPLAINT, "subtype": code, "subject": _subject(attributes, description, code),
        "message": description,
        "topic": (attributes.get("topic") or [None])[-1],
        "location": {"lat": lat, "long": long, "address_string": address},
        "media_urls": [url for url in fields.get("media_url", []) if url.strip()] or None,
        "applicant": {"full_name": " ".join(filter(None, (_one(fields, "first_name"), _one(fields, "last_name")))),
                      "email": _one(fields, "email"), "phone": _one(fields, "phone"), "language": language},
    }
    try:
        return ComplaintFiling.model_validate(raw)
    except ValidationError as exc:
        raise DomainError("The service request has missing or wrong parameters.", title="Invalid service request",
                          errors=[{"field": _parameter(error["loc"]), "message": error["msg"], "code": error["type"]}
                                  for error in exc.errors()]) from None


def _parameter(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part in _PARAMETERS:
            return _PARAMETERS[part]
    return "lat/long or address_string" if loc[:1] == ("location",) else ".".join(map(str, loc))


def _listed(values: list[str] | None) -> list[str]:
    """Repeated and comma-delimited values, as the specification allows both."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def requests_query(*, ids: list[str] | None, codes: list[str] | None, statuses: list[str] | None,
                   start: datetime | None, end: datetime | None, page: int, page_size: int,
                   now: datetime) -> ListServiceRequests:
    limit, offset = page_size, (page - 1) * page_size
    numbers = _listed(ids)
    if numbers:  # the specification: service_request_id overrides every other argument
        if len(numbers) > MAX_IDS:
            raise InvalidInput("service_request_id", f"at most {MAX_IDS} service_request_id at once")
        return ListServiceRequests(numbers, None, None, None, None, limit, offset)
    unknown = [code for code in _listed(codes) if code not in SERVICE_CODES]
    if unknown:
        raise InvalidInput("service_code", f"unknown service_code {', '.join(unknown)}; GET services lists them")
    wanted = set(_listed(statuses))
    if wanted - {"open", "closed"}:
        raise InvalidInput("status", "status is open or closed (comma-delimited for both)")
    start, end = _window(_aware(start), _aware(end), now)
    return ListServiceRequests(None, _listed(codes) or None, _statuses(wanted), start, end, limit, offset)


def _aware(moment: datetime | None) -> datetime | None:
    """The specification wants a time zone; one sent without is read as UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The most recent 90 days unless told otherwise; never more than 90 days."""
    if start is None and end is None:
        return now - MAX_WINDOW, now
    if end is None:
        return start, start + MAX_WINDOW
    if start is None:
        return end - MAX_WINDOW, end
    if end < start:
        raise InvalidInput("end_date", "end_date is before start_date")
    if end - start > MAX_WINDOW:
        raise InvalidInput("end_date", "start_date to end_date may not span more than 90 days")
    return start, end


def _statuses(wanted: set[str]) -> list[str] | None:
    if wanted in (set(), {"open", "closed"}):
        return None
    chosen = OPEN_STATES if wanted == {"open"} else set(Status) - OPEN_STATES
    return sorted(status.value for status in chosen)


def legal_deadline(catalogue: Catalogue, calendar: WorkingCalendar, subtype: str, received_at: datetime) -> datetime:
    """When the answer is due by law: the end of its day, as on the receipt (a pause while the agency
    waits for the applicant is not counted here)."""
    rule = next(r for r in catalogue.kind(COMPLAINT).deadlines_for({"subtype": subtype}) if r.name == "decision")
    return calendar.end_of_day(calendar.due_on(received_at, rule.days, rule.unit))


def w3(moment: datetime, calendar: WorkingCalendar) -> str:
    return moment.astimezone(calendar.timezone).isoformat(timespec="seconds")


def service_notice(expected: datetime, language: str) -> str:
    day = f"{expected:%d/%m/%Y}"
    if language == "ar":
        return f"يرسل إشعار بالتوصل عبر البريد الإلكتروني، والجواب في أجل أقصاه {day}."
    return f"Accusé de réception envoyé par email ; réponse au plus tard le {day}."


def public_request(row: Mapping[str, Any], *, catalogue: Catalogue, calendar: WorkingCalendar, language: str,
                   agency: str) -> dict[str, Any]:
    """One complaint as Open311 shows it (GET requests): public fields only (see the module's text)."""
    location, subtype = row["location"] or {}, row["subtype"]
    expected = legal_deadline(catalogue, calendar, subtype, row["received_at"])
    return {
        "service_request_id": row["tracking_number"],
        "status": "open" if row["status"] in OPEN_STATES else "closed",
        "status_notes": status_note(row["status"], language),
        "service_name": SERVICE_NAMES[subtype][language],
        "service_code": subtype,
        "description": None,
        "agency_responsible": agency,
        "service_notice": service_notice(expected, language),
        "requested_datetime": w3(row["received_at"], calendar),
        "updated_datetime": w3(row["updated_at"], calendar),
        "expected_datetime": w3(expected, calendar),
        "address": location.get("address_string"),
        "lat": location.get("lat"),
        "long": location.get("long"),
        "media_url": row["media_url"],
    }
