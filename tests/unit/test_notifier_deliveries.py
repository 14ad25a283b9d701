"""Who sees a delivery's address: an applicant's only for roles that see that kind's personal
data; the Directorate's (the daily report, about no filing) for every reader of deliveries."""

from __future__ import annotations

import pytest

from services.notifier.domain.deliveries import REPORT_KIND, shows_address
from shared.catalogue import load_catalogue
from shared.policy import ROLES, load_policy

POLICY, KINDS = load_policy(), load_catalogue().kinds


@pytest.mark.parametrize("role", ROLES)
def test_an_applicants_address_follows_the_policy_and_the_directorates_is_shown_to_all(role):
    roles = frozenset({role})
    assert shows_address(POLICY, roles, "building_permit", KINDS) == POLICY.sees_personal_data(roles, "building_permit")
    assert shows_address(POLICY, roles, REPORT_KIND, KINDS)
    assert shows_address(POLICY, roles, "a_kind_since_removed", KINDS) == POLICY.sees_personal_data(roles)


def test_ops_see_the_directorates_address_but_no_applicants():
    ops = frozenset({"ops"})
    assert shows_address(POLICY, ops, REPORT_KIND, KINDS)
    assert not any(shows_address(POLICY, ops, kind, KINDS) for kind in KINDS)
