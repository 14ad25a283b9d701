"""The review Task aggregate: every legal transition, the illegal ones, versions and events."""

from __future__ import annotations

import pytest

from services.review.domain.task import InvalidInput, NotAssignee, Outcome, Task
from shared.events import ReviewClaimed, ReviewDecided, ReviewObservationsIssued, ReviewTaskQueued
from shared.lifecycle import IllegalTransition, Status

DOC = {"name": "plan.pdf", "sha256": "ab" * 32, "size": 10, "content_type": "application/pdf"}


def new_task() -> tuple[Task, ReviewTaskQueued]:
    return Task.open(
        tracking_number="LMD-2025-000001",
        kind="pre_study",
        applicant={"full_name": "X", "email": "x@example.org", "language": "ar"},
        details={"parcel": "TF 1234/K"},
        documents=[DOC],
    )


def in_status(status: Status) -> Task:
    task, _ = new_task()
    if status == Status.QUEUED:
        return task
    task.claim("amina")
    if status == Status.IN_REVIEW:
        return task
    if status == Status.AWAITING_APPLICANT:
        task.issue_observations("amina", "Missing the site plan.")
        return task
    if status == Status.DECIDED:
        task.decide("amina", Outcome.APPROVED, "Favourable.")
        return task
    if status == Status.WITHDRAWN:
        task.withdraw()
        return task
    raise AssertionError(status)


def test_a_received_filing_opens_a_queued_task_at_version_1():
    task, event = new_task()
    assert (task.status, task.version, task.assignee) == (Status.QUEUED, 1, None)
    assert task.documents == [DOC]
    assert isinstance(event, ReviewTaskQueued)
    assert (event.task_id, event.tracking_number, event.kind) == (task.id, "LMD-2025-000001", "pre_study")
    assert (event.status, event.version) == (Status.QUEUED, 1)


def test_claim_assigns_the_task_and_moves_it_to_review():
    task, _ = new_task()
    event = task.claim("amina")
    assert (task.status, task.version, task.assignee) == (Status.IN_REVIEW, 2, "amina")
    assert isinstance(event, ReviewClaimed)
    assert (event.status, event.version, event.assignee) == (Status.IN_REVIEW, 2, "amina")


def test_observations_wait_for_the_applicant_and_are_kept():
    task = in_status(Status.IN_REVIEW)
    event = task.issue_observations("amina", "  Missing the site plan.  ")
    assert (task.status, task.version) == (Status.AWAITING_APPLICANT, 3)
    assert isinstance(event, ReviewObservationsIssued)
    assert (event.status, event.version, event.observations) == (Status.AWAITING_APPLICANT, 3, "Missing the site plan.")
    assert [(o["by"], o["text"]) for o in task.observations] == [("amina", "Missing the site plan.")]


def test_resubmission_requeues_the_task_with_the_new_documents_and_message():
    task = in_status(Status.AWAITING_APPLICANT)
    new_doc = {**DOC, "name": "site.pdf"}
    event = task.resubmit("Here is the site plan.", [new_doc])
    assert (task.status, task.version) == (Status.QUEUED, 4)
    assert isinstance(event, ReviewTaskQueued) and (event.status, event.version) == (Status.QUEUED, 4)
    assert task.documents == [DOC, new_doc]
    assert [m["text"] for m in task.messages] == ["Here is the site plan."]
    assert task.assignee == "amina"  # kept as a hint; claiming again is open to anyone
    task.claim("youssef")
    assert (task.status, task.version, task.assignee) == (Status.IN_REVIEW, 5, "youssef")


@pytest.mark.parametrize("outcome", list(Outcome))
def test_decide_records_the_outcome_and_text(outcome):
    task = in_status(Status.IN_REVIEW)
    event = task.decide("amina", outcome.value, "قرار")
    assert (task.status, task.version) == (Status.DECIDED, 3)
    assert isinstance(event, ReviewDecided)
    assert (event.outcome, event.text, event.version) == (outcome.value, "قرار", 3)
    assert task.decision["outcome"] == outcome.value and task.decision["by"] == "amina"


@pytest.mark.parametrize("status", [Status.QUEUED, Status.IN_REVIEW, Status.AWAITING_APPLICANT])
def test_an_open_task_can_be_withdrawn(status):
    task = in_status(status)
    version = task.version
    assert task.is_open
    assert task.withdraw() is None
    assert (task.status, task.version) == (Status.WITHDRAWN, version + 1)
    assert not task.is_open


ILLEGAL = [
    (Status.QUEUED, lambda t: t.issue_observations("amina", "x")),
    (Status.QUEUED, lambda t: t.decide("amina", Outcome.APPROVED, "x")),
    (Status.QUEUED, lambda t: t.resubmit("x", [])),
    (Status.IN_REVIEW, lambda t: t.claim("youssef")),
    (Status.IN_REVIEW, lambda t: t.resubmit("x", [])),
    (Status.AWAITING_APPLICANT, lambda t: t.claim("youssef")),
    (Status.AWAITING_APPLICANT, lambda t: t.issue_observations("amina", "x")),
    (Status.AWAITING_APPLICANT, lambda t: t.decide("amina", Outcome.REJECTED, "x")),
    (Status.DECIDED, lambda t: t.claim("youssef")),
    (Status.DECIDED, lambda t: t.decide("amina", Outcome.REJECTED, "x")),
    (Status.DECIDED, lambda t: t.withdraw()),
    (Status.WITHDRAWN, lambda t: t.claim("youssef")),
    (Status.WITHDRAWN, lambda t: t.withdraw()),
    (Status.WITHDRAWN, lambda t: t.resubmit("x", [])),
]


@pytest.mark.parametrize(("status", "command"), ILLEGAL)
def test_illegal_transitions_raise_and_change_nothing(status, command):
    task = in_status(status)
    before = (task.status, task.version, task.assignee, list(task.observations), task.decision)
    with pytest.raises(IllegalTransition) as raised:
        command(task)
    assert raised.value.status == status
    assert (task.status, task.version, task.assignee, list(task.observations), task.decision) == before


@pytest.mark.parametrize("text", ["", "   ", None])
def test_decision_and_observations_need_text(text):
    task = in_status(Status.IN_REVIEW)
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", Outcome.APPROVED, text)
    assert raised.value.field == "text"
    with pytest.raises(InvalidInput) as raised:
        task.issue_observations("amina", text)
    assert raised.value.field == "observations"
    assert (task.status, task.version) == (Status.IN_REVIEW, 2)


def test_an_unknown_outcome_is_refused():
    task = in_status(Status.IN_REVIEW)
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", "maybe", "text")
    assert raised.value.field == "outcome"
    assert task.status == Status.IN_REVIEW


def test_applicant_material_outside_awaiting_is_kept_without_a_transition():
    task = in_status(Status.IN_REVIEW)
    task.record_applicant_material("One more document.", [{**DOC, "name": "extra.pdf"}])
    assert (task.status, task.version) == (Status.IN_REVIEW, 2)
    assert [d["name"] for d in task.documents] == ["plan.pdf", "extra.pdf"]
    assert [m["text"] for m in task.messages] == ["One more document."]


def test_only_the_assignee_or_a_supervisor_may_act():
    task = in_status(Status.IN_REVIEW)
    task.ensure_may_act("amina", supervisor=False)
    task.ensure_may_act("chief", supervisor=True)
    with pytest.raises(NotAssignee, match="assigned to amina"):
        task.ensure_may_act("youssef", supervisor=False)
    unassigned, _ = new_task()
    with pytest.raises(NotAssignee, match="not assigned"):
        unassigned.ensure_may_act("amina", supervisor=False)


def test_each_change_bumps_the_version_by_one_along_a_full_path():
    task, queued = new_task()
    versions = [queued.version]
    versions.append(task.claim("amina").version)
    versions.append(task.issue_observations("amina", "More please.").version)
    versions.append(task.resubmit("Done.", []).version)
    versions.append(task.claim("amina").version)
    versions.append(task.decide("amina", Outcome.OBSERVATIONS_ISSUED, "Preliminary observations.").version)
    assert versions == [1, 2, 3, 4, 5, 6]
    assert task.version == 6 and task.status == Status.DECIDED


def test_a_task_in_committee_can_be_decided_or_withdrawn():
    task, _ = new_task()
    task.status, task.version = Status.IN_COMMITTEE, 3
    event = task.decide("chief", Outcome.APPROVED_WITH_CONDITIONS, "Favourable with conditions.")
    assert (task.status, task.version, event.version) == (Status.DECIDED, 4, 4)
    other, _ = new_task()
    other.status = Status.IN_COMMITTEE
    other.withdraw()
    assert other.status == Status.WITHDRAWN
