"""The staff pages' pure rules: lockout after repeated failures, accounts and passwords, the
deadline state shown (as text), the committee's aggregate, and the menu each role sees."""

from datetime import UTC, datetime, timedelta

import pytest

from services.portal.api.staff.committee_view import aggregate
from services.portal.api.staff.pages import deadline_state, home_of, menu_of
from services.portal.domain.staff import Account, check_password, checked_email, checked_roles
from shared.errors import InvalidInput
from shared.policy import load_policy

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)
POLICY = load_policy()


def test_the_third_failure_locks_the_account_for_the_lockout_and_the_count_restarts():
    account = Account(email="a@agence.ma", full_name="A", roles=["reviewer"], password_hash="x")
    assert [account.fail(NOW, attempts_allowed=3, lockout=timedelta(minutes=15)) for _ in range(3)] == [
        False, False, True]
    assert account.locked(NOW + timedelta(minutes=14)) and not account.locked(NOW + timedelta(minutes=16))
    assert account.failed_attempts == 0
    account.succeed()
    assert account.locked_until is None and not account.locked(NOW)


def test_accounts_need_a_real_email_known_roles_and_a_long_password():
    assert checked_email(" Fatima@Agence.MA ") == "fatima@agence.ma"
    for bad in ("fatima", "a@", ""):
        with pytest.raises(InvalidInput):
            checked_email(bad)
    assert checked_roles(["reviewer", "reviewer", "supervisor"]) == ["reviewer", "supervisor"]
    with pytest.raises(InvalidInput, match="unknown role"):
        checked_roles(["root"])
    with pytest.raises(InvalidInput):
        checked_roles([])
    with pytest.raises(InvalidInput, match="at least 12"):
        check_password("short")
    check_password("twelve chars")


def deadline(**fields) -> dict:
    return {"met_at": None, "overdue": False, "paused": False, "days_left": 8, **fields}


@pytest.mark.parametrize(("deadlines", "status", "state"), [
    ([deadline()], "in_review", "on_time"),
    ([deadline(days_left=2)], "queued", "approaching"),
    ([deadline(days_left=-1, overdue=True), deadline()], "in_review", "overdue"),
    ([deadline(paused=True)], "awaiting_applicant", "paused"),
    ([deadline(met_at="2026-11-01")], "in_committee", "met"),
    ([deadline(days_left=-3, overdue=True)], "decided", "met"),
])
def test_the_deadline_state_of_a_task(deadlines, status, state):
    assert deadline_state({"deadlines": deadlines, "status": status}) == state


def test_the_aggregate_is_the_most_severe_opinion():
    assert aggregate(["favourable", "unfavourable", "favourable_with_conditions"]) == "unfavourable"
    assert aggregate(["favourable", "adjourned"]) == "adjourned"
    assert aggregate([]) is None


def test_each_role_sees_only_the_pages_the_policy_opens():
    reviewer = [path for path, _ in menu_of(frozenset({"reviewer"}), POLICY)]
    assert reviewer == ["/staff/tasks", "/staff/committee"]
    ops = [path for path, _ in menu_of(frozenset({"ops"}), POLICY)]
    assert "/ops/queues" in ops and "/staff/finance" not in ops and "/staff/admin" not in ops
    assert home_of(frozenset({"finance"}), POLICY) == "/staff/tasks"
    assert "/staff/admin" in [path for path, _ in menu_of(frozenset({"admin"}), POLICY)]
