"""The staff pages' pure rules: lockout after repeated failures, accounts and passwords, and the
menu each role sees. (A task's deadline state and its committee's aggregate are review's: the
pages show them as review gives them, tests/integration/test_portal_staff_answers.py.)"""

from datetime import UTC, datetime, timedelta

import pytest

from services.portal.api.staff.pages import home_of, menu_of
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


def test_each_role_sees_only_the_pages_the_policy_opens():
    reviewer = [route for route, _ in menu_of(frozenset({"reviewer"}), POLICY)]
    assert reviewer == ["work_queue", "committee_sessions"]
    ops = [route for route, _ in menu_of(frozenset({"ops"}), POLICY)]
    assert "ops_queues" in ops and "supplier_invoices" not in ops and "staff_directory" not in ops
    assert home_of(frozenset({"finance"}), POLICY) == "work_queue"
    assert "staff_directory" in [route for route, _ in menu_of(frozenset({"admin"}), POLICY)]
