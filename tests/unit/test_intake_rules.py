"""What an applicant may do next (pure): answer while the agency waits for them, withdraw an
open filing, contest a rejected committee decision once."""

from __future__ import annotations

import pytest

from services.intake.domain.public_status import applicant_actions
from shared.lifecycle import Status

REJECTED = {"outcome": "rejected", "text": "Non."}


@pytest.mark.parametrize(("review_path", "status", "decision", "contested", "expected"), [
    ("reviewer", Status.RECEIVED, None, False, ["withdraw"]),
    ("reviewer", Status.QUEUED, None, False, ["withdraw"]),
    ("reviewer", Status.AWAITING_APPLICANT, None, False, ["answer", "withdraw"]),
    ("committee", Status.IN_COMMITTEE, None, False, ["withdraw"]),
    ("committee", Status.DECIDED, REJECTED, False, ["contest"]),
    ("committee", Status.CLOSED, REJECTED, False, ["contest"]),
    ("committee", Status.CLOSED, REJECTED, True, []),  # once only
    ("committee", Status.QUEUED, None, True, ["withdraw"]),  # reviewed again after the contest
    ("committee", Status.CLOSED, {"outcome": "approved"}, False, []),
    ("reviewer", Status.CLOSED, REJECTED, False, []),  # only a committee's decision is contested
    ("reviewer", Status.WITHDRAWN, None, False, []),
])
def test_the_applicants_next_actions(review_path, status, decision, contested, expected):
    assert applicant_actions(review_path=review_path, status=status, decision=decision,
                             contested=contested) == expected
