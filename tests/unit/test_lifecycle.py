import pytest

from shared.lifecycle import TRANSITIONS, Action, IllegalTransition, Status, next_status

# Written out here rather than read from shared/lifecycle.py, so that a state left out of (or
# slipped into) its OPEN_STATES fails: an applicant may withdraw until the agency has decided.
WITHDRAWABLE = {Status.RECEIVED, Status.QUEUED, Status.IN_REVIEW, Status.AWAITING_APPLICANT, Status.IN_COMMITTEE}


def test_the_happy_path_follows_the_table():
    status = Status.RECEIVED
    for action in (Action.ENQUEUE, Action.CLAIM, Action.ISSUE_OBSERVATIONS, Action.RESUBMIT, Action.CLAIM,
                   Action.DECIDE, Action.CLOSE):
        status = next_status(status, action)
    assert status == Status.CLOSED


@pytest.mark.parametrize("status", list(Status))
def test_withdrawal_is_allowed_from_open_states_only(status):
    if status in WITHDRAWABLE:
        assert next_status(status, Action.WITHDRAW) == Status.WITHDRAWN
    else:
        with pytest.raises(IllegalTransition, match="cannot withdraw"):
            next_status(status, Action.WITHDRAW)


def test_an_illegal_transition_names_the_action_and_the_state():
    with pytest.raises(IllegalTransition) as raised:
        next_status(Status.DECIDED, Action.CLAIM)
    assert str(raised.value) == "cannot claim a filing that is decided"


def test_withdrawn_is_final_and_closed_reopens_only_on_contest():
    assert not [key for key in TRANSITIONS if key[0] == Status.WITHDRAWN]
    assert [action for status, action in TRANSITIONS if status == Status.CLOSED] == [Action.CONTEST]
    assert next_status(Status.CLOSED, Action.CONTEST) == Status.QUEUED
