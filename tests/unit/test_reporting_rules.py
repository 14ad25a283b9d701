"""Reporting's rules that left its routes and handlers for the domain: the indicators' period,
the provisional day, and what operators see of a parked message."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting.domain.errors import ReportNotBuilt, WorkQueueNotFound
from services.reporting.domain.indicators import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, period
from services.reporting.domain.parked import redacted, work_queue
from services.reporting.domain.provisional import ensure_provisional_format, provisional_filename
from shared.errors import InvalidInput

CLOSED = date(2025, 6, 17)


def test_the_default_period_is_the_30_days_up_to_the_last_closed_one():
    assert period(None, None, CLOSED) == (date(2025, 5, 19), CLOSED)
    assert (CLOSED - period(None, None, CLOSED)[0]).days + 1 == DEFAULT_PERIOD_DAYS
    assert period(None, date(2025, 1, 31), CLOSED) == (date(2025, 1, 2), date(2025, 1, 31))
    assert period(date(2025, 6, 1), None, CLOSED) == (date(2025, 6, 1), CLOSED)


@pytest.mark.parametrize(("first", "last", "code"), [
    (date(2025, 6, 18), CLOSED, "period_order"),
    (date(2024, 6, 16), CLOSED, "period_length"),
])
def test_a_period_backwards_or_too_long_is_refused_on_from(first, last, code):
    with pytest.raises(InvalidInput) as refused:
        period(first, last, CLOSED)
    assert refused.value.errors == [{"field": "query.from", "message": refused.value.message, "code": code}]
    assert (CLOSED - date(2024, 6, 17)).days + 1 == MAX_PERIOD_DAYS  # the longest period accepted


def test_before_its_day_is_built_a_report_exists_only_as_json_or_csv():
    for format_ in ("json", "csv"):
        ensure_provisional_format(CLOSED, format_)
    for format_ in ("pdf", "xlsx"):
        with pytest.raises(ReportNotBuilt):
            ensure_provisional_format(CLOSED, format_)
    assert provisional_filename(CLOSED, "csv") == "lamadi-provisional-2025-06-17.csv"


def test_a_parked_message_loses_its_personal_data_for_roles_that_do_not_see_it():
    shown = {"id": "e1", "type": "submission.received.v1", "subject": "AU-1", "parked_at": "now",
             "error": "SMTP 550: fatima@example.ma unknown",
             "event": {"id": "e1", "data": {"tracking_number": "AU-1", "applicant": {"email": "fatima@example.ma"}}}}
    assert redacted(shown, personal_data=True) == shown
    hidden = redacted(shown, personal_data=False)
    assert hidden["event"] == {"id": "e1", "data": {"tracking_number": "AU-1"}}
    assert hidden["error"] == "SMTP 550" and "fatima" not in str(hidden)
    assert redacted({**shown, "event": None}, personal_data=False)["event"] is None


def test_a_work_queue_is_named_by_itself_or_by_its_parked_queue():
    spec = work_queue("lamadi.reporting.entries")
    assert work_queue(spec.parked) == spec
    with pytest.raises(WorkQueueNotFound):
        work_queue("lamadi.nowhere")
