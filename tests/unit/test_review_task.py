"""The review Task aggregate: every legal transition, the illegal ones, versions and events;
each kind's path (catalogue outcomes, note facts, preliminary observations, committee, finance)."""

from __future__ import annotations

import pytest

from services.review.domain.task import Conflict, InvalidInput, NotAssignee, Outcome, Task
from shared.catalogue import default_catalogue
from shared.events import ReviewClaimed, ReviewDecided, ReviewObservationsIssued, ReviewTaskQueued
from shared.lifecycle import IllegalTransition, Status

CATALOGUE = default_catalogue()
PRE_STUDY = CATALOGUE.kind("pre_study")
COMPLAINT = CATALOGUE.kind("complaint")
NOTE = {"zoning": "R+2 résidentiel", "allowed_height_m": 11.5, "setbacks": "4 m", "servitudes": "aucune"}

DOC = {"name": "plan.pdf", "sha256": "ab" * 32, "size": 10, "content_type": "application/pdf"}


def new_task(kind: str = "pre_study") -> tuple[Task, ReviewTaskQueued]:
    return Task.open(
        tracking_number="LMD-2025-000001",
        kind=kind,
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
        task.decide("amina", Outcome.OBSERVATIONS_ISSUED, "Observations.", PRE_STUDY,
                    preliminary_observations=["Recul insuffisant."])
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
    assert (event.status, event.version, event.reason) == (Status.QUEUED, 1, "new")


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


@pytest.mark.parametrize("kind", ["complaint", "supplier_invoice", "information_note"])
def test_decide_records_the_outcome_and_text(kind):
    task = in_status(Status.IN_REVIEW)
    task.kind = kind
    event = task.decide("amina", "rejected" if kind != "complaint" else "answered", "قرار", CATALOGUE.kind(kind))
    assert (task.status, task.version) == (Status.DECIDED, 3)
    assert isinstance(event, ReviewDecided)
    assert (event.text, event.version) == ("قرار", 3)
    assert task.decision["outcome"] == event.outcome and task.decision["by"] == "amina"


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
    (Status.QUEUED, lambda t: t.decide("amina", Outcome.OBSERVATIONS_ISSUED, "x", PRE_STUDY,
                                       preliminary_observations=["x"])),
    (Status.QUEUED, lambda t: t.resubmit("x", [])),
    (Status.IN_REVIEW, lambda t: t.claim("youssef")),
    (Status.IN_REVIEW, lambda t: t.resubmit("x", [])),
    (Status.AWAITING_APPLICANT, lambda t: t.claim("youssef")),
    (Status.AWAITING_APPLICANT, lambda t: t.issue_observations("amina", "x")),
    (Status.AWAITING_APPLICANT, lambda t: t.decide("amina", Outcome.OBSERVATIONS_ISSUED, "x", PRE_STUDY,
                                                   preliminary_observations=["x"])),
    (Status.DECIDED, lambda t: t.claim("youssef")),
    (Status.DECIDED, lambda t: t.decide("amina", Outcome.OBSERVATIONS_ISSUED, "x", PRE_STUDY,
                                        preliminary_observations=["x"])),
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
        task.decide("amina", Outcome.ANSWERED, text, COMPLAINT)
    assert raised.value.field == "text"
    with pytest.raises(InvalidInput) as raised:
        task.issue_observations("amina", text)
    assert raised.value.field == "observations"
    assert (task.status, task.version) == (Status.IN_REVIEW, 2)


@pytest.mark.parametrize("outcome", ["maybe", "approved", "paid", "note_issued"])
def test_an_outcome_outside_the_kinds_catalogue_is_refused(outcome):
    task = in_status(Status.IN_REVIEW)
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", outcome, "text", PRE_STUDY, preliminary_observations=["x"])
    assert raised.value.field == "outcome" and "observations_issued" in raised.value.message
    assert (task.status, task.version, task.decision) == (Status.IN_REVIEW, 2, None)


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
    versions.append(task.decide("amina", Outcome.OBSERVATIONS_ISSUED, "Preliminary observations.", PRE_STUDY,
                                preliminary_observations=["Recul."]).version)
    assert versions == [1, 2, 3, 4, 5, 6]
    assert task.version == 6 and task.status == Status.DECIDED


def test_a_task_in_committee_can_be_withdrawn_but_not_decided_by_a_reviewer():
    task, _ = new_task("building_permit")
    task.status, task.version = Status.IN_COMMITTEE, 3
    with pytest.raises(Conflict, match="decided by its committee"):
        task.decide("chief", Outcome.APPROVED, "Favourable.", CATALOGUE.kind("building_permit"))
    assert (task.status, task.version) == (Status.IN_COMMITTEE, 3)
    task.withdraw()
    assert task.status == Status.WITHDRAWN


# Each kind's path.

def test_an_information_note_needs_its_facts_and_carries_them_in_the_event():
    spec = CATALOGUE.kind("information_note")
    task = in_status(Status.IN_REVIEW)
    task.kind = "information_note"
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", "note_issued", "مذكرة", spec)
    assert raised.value.field == "note"
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", "note_issued", "مذكرة", spec, note={**NOTE, "allowed_height_m": "high"})
    assert raised.value.field == "note.allowed_height_m"
    with pytest.raises(InvalidInput) as raised:
        task.decide("amina", "note_issued", "مذكرة", spec, note={**NOTE, "zoning": " "})
    assert raised.value.field == "note.zoning"
    assert (task.status, task.version) == (Status.IN_REVIEW, 2)
    event = task.decide("amina", "note_issued", "مذكرة", spec, note={**NOTE, "remarks": " Zone à risque. "})
    assert event.note == {**NOTE, "remarks": "Zone à risque."} == task.decision["note"]
    assert event.outcome == "note_issued" and task.status == Status.DECIDED


def test_a_pre_study_decision_needs_preliminary_observations():
    task = in_status(Status.IN_REVIEW)
    for bad in (None, [], ["  "]):
        with pytest.raises(InvalidInput) as raised:
            task.decide("amina", "observations_issued", "Observations", PRE_STUDY, preliminary_observations=bad)
        assert raised.value.field.startswith("preliminary_observations")
    event = task.decide("amina", "observations_issued", "Observations", PRE_STUDY,
                        preliminary_observations=[" Recul de 4 m. ", "Hauteur R+2."])
    assert event.preliminary_observations == ["Recul de 4 m.", "Hauteur R+2."]
    assert task.decision["preliminary_observations"] == event.preliminary_observations


def committee_task() -> Task:
    task, _ = new_task("building_permit")
    task.claim("amina")
    task.refer(CATALOGUE.kind("building_permit"), None, None)
    return task


def test_a_committee_task_collects_opinions_and_publishes_the_most_severe():
    task = committee_task()
    assert (task.status, task.version) == (Status.IN_COMMITTEE, 3)
    recorded = task.record_opinion("m1", "favourable", "Conforme.")
    assert (recorded.member, recorded.opinion, recorded.version, task.status) == ("m1", "favourable", 4,
                                                                                 Status.IN_COMMITTEE)
    opinions = [("favourable", "Conforme."), ("favourable_with_conditions", "Clôture."),
                ("unfavourable", "Hauteur dépassée.")]
    published, decided = task.publish("chief", opinions, None)
    assert (published.opinion, published.motive) == ("unfavourable", "Hauteur dépassée.")
    # Two changes, two versions: whichever a consumer takes last, the decision is the newer.
    assert published.version + 1 == decided.version == task.version
    assert (decided.outcome, decided.committee_opinion, decided.text) == ("rejected", "unfavourable",
                                                                          "Hauteur dépassée.")
    assert task.status == Status.DECIDED and task.decision["committee_opinion"] == "unfavourable"


def test_an_adjourned_opinion_keeps_the_task_in_committee_for_the_next_round():
    task = committee_task()
    published, decided = task.publish("chief", [("favourable", "ok"), ("adjourned", "Visite des lieux.")], None)
    assert decided is None and published.opinion == "adjourned"
    assert (task.status, task.committee_round, task.version) == (Status.IN_COMMITTEE, 2, 4)
    with pytest.raises(Conflict, match="No committee member"):
        task.publish("chief", [], None)


def test_opinions_and_referral_fit_only_their_states_and_kinds():
    task = in_status(Status.IN_REVIEW)
    with pytest.raises(Conflict, match="not reviewed by a committee"):
        task.refer(PRE_STUDY, None, None)
    permit, _ = new_task("building_permit")
    with pytest.raises(Conflict, match="in_committee"):
        permit.record_opinion("m1", "favourable", "ok")
    with pytest.raises(IllegalTransition):
        permit.refer(CATALOGUE.kind("building_permit"), None, None)
    assert (permit.status, permit.version) == (Status.QUEUED, 1)


def test_a_decision_is_contested_once():
    task = committee_task()
    task.publish("chief", [("unfavourable", "Non.")], None)
    queued = task.contest_decision("Je conteste.", task.updated_at)
    assert (queued.reason, queued.status, task.status, task.contested) == ("contested", Status.QUEUED,
                                                                           Status.QUEUED, True)
    assert task.decision is None and task.contest["previous_decision"]["outcome"] == "rejected"
    assert task.committee_round == 2
    task.claim("amina")
    task.refer(CATALOGUE.kind("building_permit"), None, None)
    task.publish("chief", [("unfavourable", "Toujours non.")], None)
    with pytest.raises(Conflict, match="already been contested"):
        task.contest_decision("Encore.", task.updated_at)
    assert task.status == Status.DECIDED


def test_finance_steps_go_in_order_before_payment():
    spec = CATALOGUE.kind("supplier_invoice")
    task, _ = new_task("supplier_invoice")
    task.claim("farid")
    with pytest.raises(Conflict, match="approved for payment"):
        task.decide("farid", "paid", "Payée.", spec)
    with pytest.raises(Conflict, match="verified must be recorded before approved_for_payment"):
        task.record_step("farid", spec, "approved_for_payment", None)
    assert (task.version, task.steps) == (2, [])
    verified = task.record_step("farid", spec, "verified", " Montants conformes. ")
    assert (verified.step, verified.note, verified.version, task.status) == ("verified", "Montants conformes.", 3,
                                                                             Status.IN_REVIEW)
    with pytest.raises(Conflict, match="already recorded"):
        task.record_step("farid", spec, "verified", None)
    task.record_step("farid", spec, "approved_for_payment", None)
    paid = task.decide("farid", "paid", "Virement effectué.", spec)
    assert (paid.outcome, paid.version, task.step_names) == ("paid", 5, ["verified", "approved_for_payment"])
    with pytest.raises(Conflict, match="no finance steps"):
        in_status(Status.IN_REVIEW).record_step("amina", PRE_STUDY, "verified", None)


def test_a_supplier_invoice_can_be_rejected_at_any_time_in_review():
    spec = CATALOGUE.kind("supplier_invoice")
    task, _ = new_task("supplier_invoice")
    task.claim("farid")
    task.record_step("farid", spec, "verified", None)
    assert task.decide("farid", "rejected", "Facture en double.", spec).outcome == "rejected"
