"""What review says of a task for one person (pure): the actions offered, the deadline state,
the finance stage, the committee round and the timeline; and the policy's assignable roles and
"acts for others". The actions offered are checked against the commands themselves: an action
is offered exactly when carrying it out would be accepted."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest

from services.review.domain.allowed import allowed_actions
from services.review.domain.audit import AuditAction, changed_the_task
from services.review.domain.commands import TASK_COMMANDS, Actor
from services.review.domain.committee import SEVERITY, round_view
from services.review.domain.deadlines import Deadline, deadline_state, due_at_of
from services.review.domain.errors import DomainError
from services.review.domain.finance import ORDER, Stage, stage_of
from services.review.domain.task import Task
from services.review.domain.views import Seeing, view_task
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.lifecycle import Action, Status
from shared.policy import load_policy

CATALOGUE = default_catalogue()
POLICY = load_policy()
CAL = WorkingCalendar()
NOTE = {"zoning": "R+2", "allowed_height_m": 11.5, "setbacks": "4 m", "servitudes": "aucune"}
ROLE_SETS = [frozenset({role}) for role in POLICY.roles] + [frozenset({"admin"}), frozenset()]


def task_of(kind: str, status: Status, *, assignee: str | None = "amina", steps: tuple[str, ...] = ()) -> Task:
    return Task(tracking_number="AU-2026-00000-00001", kind=kind, applicant={}, details={}, status=status,
                assignee=assignee, steps=[{"step": step} for step in steps])


def who(sub: str, *roles: str) -> Actor:
    return Actor(sub=sub, acts_for_others=POLICY.acts_for_others(frozenset(roles)), roles=frozenset(roles))


def offered(task: Task, person: Actor, given: list[dict] | None = None) -> dict[str, object]:
    return {a.action: a for a in allowed_actions(task, CATALOGUE.kind(task.kind), POLICY, person, given or [])}


def opinion(member: str, given: str = "favourable") -> dict:
    return {"round": 1, "member": member, "opinion": given, "motive": "Motif."}


# --- what is offered, case by case ------------------------------------------------------------

def test_a_queued_task_offers_a_reviewer_to_claim_it_and_a_supervisor_to_assign_it_too():
    task = task_of("pre_study", Status.QUEUED, assignee=None)
    assert list(offered(task, who("amina", "reviewer"))) == ["claim"]
    chief = offered(task, who("chief", "supervisor"))
    assert list(chief) == ["claim", "assign"]
    assert chief["assign"].assignable_roles == ("reviewer", "supervisor")  # committees see no pre-study
    assert [f.name for f in chief["assign"].fields] == ["assignee"]
    assert offered(task, who("ops-1", "ops")) == {}


def test_in_review_only_the_assignee_or_one_who_acts_for_others_observes_and_decides():
    task = task_of("complaint", Status.IN_REVIEW)
    assert list(offered(task, who("amina", "reviewer"))) == ["observe", "decide"]
    assert list(offered(task, who("youssef", "reviewer"))) == []
    assert list(offered(task, who("chief", "supervisor"))) == ["assign", "observe", "decide"]
    assert list(offered(task, who("root", "admin"))) == ["assign", "observe", "decide"]
    decide = offered(task, who("amina", "reviewer"))["decide"]
    assert decide.outcomes == ("answered",)
    assert [(f.name, f.type, f.required, f.outcome) for f in decide.fields] == [
        ("outcome", "choice", True, None), ("text", "text", True, None)]


def test_an_information_note_decision_asks_for_the_notes_facts_with_that_outcome():
    decide = offered(task_of("information_note", Status.IN_REVIEW), who("amina", "reviewer"))["decide"]
    assert decide.outcomes == ("note_issued", "rejected")
    assert [(f.name, f.type, f.required, f.outcome) for f in decide.fields][2:] == [
        ("note.zoning", "text", True, "note_issued"), ("note.allowed_height_m", "number", True, "note_issued"),
        ("note.setbacks", "text", True, "note_issued"), ("note.servitudes", "text", True, "note_issued"),
        ("note.remarks", "text", False, "note_issued")]
    pre_study = offered(task_of("pre_study", Status.IN_REVIEW), who("amina", "reviewer"))["decide"]
    assert pre_study.fields[-1].name == "preliminary_observations" and pre_study.fields[-1].type == "lines"


def test_a_permit_is_referred_not_decided_and_its_members_give_one_opinion_each():
    assert list(offered(task_of("building_permit", Status.IN_REVIEW), who("amina", "reviewer"))) == [
        "observe", "refer"]
    task = task_of("building_permit", Status.IN_COMMITTEE)
    karim = offered(task, who("karim", "committee"))
    assert list(karim) == ["record_opinion"]
    assert karim["record_opinion"].opinions == tuple(o.value for o in SEVERITY)
    assert offered(task, who("karim", "committee"), [opinion("karim")]) == {}
    assert "publish" not in offered(task, who("chief", "supervisor"))  # nothing to publish yet
    publish = offered(task, who("chief", "supervisor"), [opinion("karim"), opinion("sara", "unfavourable")])
    assert publish["publish"].outcomes == ("rejected",)
    adjourned = offered(task, who("chief", "supervisor"), [opinion("karim", "adjourned")])
    assert adjourned["publish"].outcomes == ()


def test_an_invoice_offers_its_next_step_then_the_payment():
    farid = who("farid", "finance")
    steps = [offered(task_of("supplier_invoice", Status.IN_REVIEW, assignee="farid", steps=tuple(done)), farid)
             for done in ([], ["verified"], ["verified", "approved_for_payment"])]
    assert [o["record_step"].steps if "record_step" in o else None for o in steps] == [
        ("verified",), ("approved_for_payment",), None]
    assert [o["decide"].outcomes for o in steps] == [("rejected",), ("rejected",), ("paid", "rejected")]


def test_nothing_is_offered_on_a_final_task_nor_on_a_kind_the_catalogue_lost():
    for status in (Status.DECIDED, Status.CLOSED, Status.WITHDRAWN):
        assert offered(task_of("complaint", status), who("root", "admin")) == {}
    lost = task_of("complaint", Status.QUEUED)
    assert allowed_actions(lost, None, POLICY, who("root", "admin")) == []


# --- offered exactly when the command would be accepted ---------------------------------------

def _carry_out(action: str, task: Task, person: Actor, given: list[dict]) -> list[str]:
    """Give the command with good input, as its handler would; the outcomes (or steps) accepted."""
    spec = CATALOGUE.kind(task.kind)
    command = next(c for c in TASK_COMMANDS if c.ACTION == action)
    POLICY.ensure(person.roles, action, task.kind)
    if command.ASSIGNEE_ONLY:
        task.ensure_may_act(person.sub, supervisor=person.acts_for_others)
    attempts = {
        "claim": [("", lambda t: t.claim(person.sub))],
        "assign": [("", lambda t: t.assign("sara"))],
        "observe": [("", lambda t: t.issue_observations(person.sub, "Le plan, svp."))],
        "decide": [(o, lambda t, o=o: t.decide(person.sub, o, "Texte.", spec, note=NOTE,
                                                preliminary_observations=["Recul."])) for o in spec.outcomes],
        "refer": [("", lambda t: t.refer(spec, None, None))],
        "record_step": [(s.value, lambda t, s=s: t.record_step(person.sub, spec, s.value, None)) for s in ORDER],
        "record_opinion": [("", lambda t: t.record_opinion(person.sub, "favourable", "Motif.", given))],
        "publish": [("", lambda t: t.publish(person.sub, [(o["opinion"], o["motive"]) for o in given], None))],
    }[action]
    accepted = []
    for value, attempt in attempts:
        try:
            attempt(copy.deepcopy(task))
        except DomainError:
            continue
        accepted.append(value)
    return accepted


@pytest.mark.parametrize("kind", sorted(CATALOGUE.kinds))
def test_an_action_is_offered_exactly_when_its_command_would_be_accepted(kind):
    spec = CATALOGUE.kind(kind)
    for status in Status:
        for assignee in ("amina", "other", None):
            steps_cases = [(), ("verified",), ("verified", "approved_for_payment")] if kind == "supplier_invoice" else [()]
            for steps in steps_cases:
                task = task_of(kind, status, assignee=assignee, steps=steps)
                for roles in ROLE_SETS:
                    person = Actor("amina", POLICY.acts_for_others(roles), roles)
                    for given in ([], [opinion("amina")], [opinion("other", "adjourned")]):
                        shown = {a.action: a for a in allowed_actions(task, spec, POLICY, person, given)}
                        for command in TASK_COMMANDS:
                            try:
                                accepted = _carry_out(command.ACTION, task, person, given)
                            except DomainError:
                                accepted = []
                            case = (status, assignee, steps, sorted(roles), given, command.ACTION)
                            assert (command.ACTION in shown) == bool(accepted), case
                            if command.ACTION == "decide" and accepted:
                                assert list(shown["decide"].outcomes) == accepted, case
                            if command.ACTION == "record_step" and accepted:
                                assert list(shown["record_step"].steps) == accepted, case


# --- deadline state ---------------------------------------------------------------------------

def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=CAL.timezone)


def deadline(due_on: date, **changes) -> Deadline:
    return Deadline(name="decision", unit="working_days", days=10, started_on=date(2026, 11, 2), due_on=due_on,
                    met_when=["decided", "closed"], **changes)


def test_the_deadline_state_follows_the_alerts_margin():
    due = [deadline(date(2026, 11, 27))]  # a Friday
    now = at("2026-11-24")  # Tuesday: 3 working days before
    assert deadline_state(due, Status.IN_REVIEW, now, 2, CAL) == "on_time"
    assert deadline_state(due, Status.IN_REVIEW, now, 3, CAL) == "approaching"
    assert deadline_state(due, Status.IN_REVIEW, at("2026-11-27", 23), 2, CAL) == "approaching"
    assert deadline_state(due, Status.IN_REVIEW, at("2026-11-30"), 2, CAL) == "overdue"
    assert due_at_of(due, Status.IN_REVIEW, CAL) == CAL.end_of_day(date(2026, 11, 27))


def test_paused_met_and_final_tasks_have_their_own_states():
    paused = [deadline(date(2026, 11, 20), paused_at=at("2026-11-10"))]
    assert deadline_state(paused, Status.AWAITING_APPLICANT, at("2026-11-19"), 2, CAL) == "paused"
    paused_late = [deadline(date(2026, 11, 20), paused_at=at("2026-11-23"))]
    assert deadline_state(paused_late, Status.AWAITING_APPLICANT, at("2026-11-25"), 2, CAL) == "overdue"
    met = [deadline(date(2026, 11, 20), met_at=at("2026-11-12"))]
    assert deadline_state(met, Status.IN_REVIEW, at("2026-11-30"), 2, CAL) == "met"
    assert deadline_state([], Status.QUEUED, at("2026-11-30"), 2, CAL) == "met"
    running = [deadline(date(2026, 11, 20))]
    for final in (Status.DECIDED, Status.CLOSED, Status.WITHDRAWN):
        assert deadline_state(running, final, at("2026-11-30"), 2, CAL) == "met"
        assert due_at_of(running, final, CAL) is None


# --- finance stage, committee round, timeline -------------------------------------------------

@pytest.mark.parametrize(("status", "steps", "decision", "stage"), [
    (Status.QUEUED, [], None, Stage.TO_VERIFY),
    (Status.IN_REVIEW, ["verified"], None, Stage.TO_APPROVE),
    (Status.AWAITING_APPLICANT, ["verified"], None, Stage.TO_APPROVE),
    (Status.IN_REVIEW, ["verified", "approved_for_payment"], None, Stage.TO_PAY),
    (Status.DECIDED, ["verified", "approved_for_payment"], {"outcome": "paid"}, Stage.PAID),
    (Status.CLOSED, ["verified", "approved_for_payment"], {"outcome": "paid"}, Stage.PAID),
    (Status.CLOSED, [], {"outcome": "rejected"}, None),
    (Status.WITHDRAWN, ["verified"], None, None),
])
def test_an_invoices_stage_is_what_it_waits_for(status, steps, decision, stage):
    assert stage_of(status, steps, decision) == stage


def test_the_committee_round_shows_its_opinions_and_their_aggregate():
    opinions = [opinion("karim"), {**opinion("sara", "adjourned"), "round": 2}, {**opinion("ali", "unfavourable")}]
    first, second = round_view(opinions, 1), round_view(opinions, 2)
    assert ([o["member"] for o in first.opinions], first.aggregate) == (["karim", "ali"], "unfavourable")
    assert ([o["member"] for o in second.opinions], second.aggregate) == (["sara"], "adjourned")
    assert round_view(opinions, 3).aggregate is None
    assert list(first.severity) == ["favourable", "favourable_with_conditions", "adjourned", "unfavourable"]


def test_the_timeline_keeps_the_entries_that_changed_the_task():
    kept = {action for action in AuditAction if changed_the_task(action)}
    assert kept == set(AuditAction) - {AuditAction.DOWNLOAD_DOCUMENT, AuditAction.APPLICANT_MESSAGE}
    # Every lifecycle action review records is a code of the audit trail, under its own name.
    assert {Action(a.value) for a in AuditAction if a.value in set(Action)} == set(Action) - {
        Action.CLOSE, Action.ADJOURN}
    task = task_of("building_permit", Status.IN_COMMITTEE)
    history = [{"action": a} for a in ("enqueue", "claim", "download_document", "refer_to_committee",
                                       "record_opinion", "applicant_message")]
    seeing = Seeing(actor=who("chief", "supervisor"), at=at("2026-11-17"), policy=POLICY, calendar=CAL,
                    margin_days=2)
    view = view_task(task, [], CATALOGUE.kind("building_permit"), seeing, opinions=[opinion("karim")],
                     history=history)
    assert [e["action"] for e in view.timeline] == ["enqueue", "claim", "refer_to_committee", "record_opinion"]
    assert (view.committee.round, view.committee.aggregate) == (1, "favourable")
    assert [a.action for a in view.allowed_actions] == ["assign", "publish"]
    assert view.finance_stage is None and view.deadline_state == "met"


# --- the policy -------------------------------------------------------------------------------

def test_assignable_roles_are_those_that_work_on_the_kind():
    assert POLICY.assignable_roles() == {"reviewer", "committee", "supervisor", "finance"}
    assert POLICY.assignable_roles("supplier_invoice") == {"finance"}
    assert POLICY.assignable_roles("building_permit") == {"reviewer", "committee", "supervisor"}
    assert "ops" not in POLICY.assignable_roles("complaint")


def test_who_acts_for_others_is_policy_data():
    assert POLICY.acts_for_others(frozenset({"supervisor"}))
    assert POLICY.acts_for_others(frozenset({"admin"}))
    assert not any(POLICY.acts_for_others(frozenset({role})) for role in ("reviewer", "committee", "finance", "ops"))
    changed = POLICY.model_copy(deep=True)
    changed.roles["reviewer"].acts_for_others = True
    task = task_of("complaint", Status.IN_REVIEW, assignee="amina")
    youssef = Actor("youssef", changed.acts_for_others(frozenset({"reviewer"})), frozenset({"reviewer"}))
    assert [a.action for a in allowed_actions(task, CATALOGUE.kind("complaint"), changed, youssef)] == [
        "observe", "decide"]
