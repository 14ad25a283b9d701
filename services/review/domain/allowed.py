"""What a staff member may do on a task now, and what each action takes.

An action is offered when all three hold, each asked of the rule that already decides it:
1. the policy grants it to the person's roles on the task's kind (shared/policy.toml);
2. the person may give it: for the commands that only the assignee may give
   (``TaskCommand.ASSIGNEE_ONLY``), they are the assignee or act for others (``Task.may_act``);
3. the task allows it in its state: the very checks its commands make first (``Task.check_*``,
   which ask the lifecycle's transition table, the committee's and the finance rules).
Nothing here restates a rule: it asks them, and describes the answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from services.review.domain import committee
from services.review.domain.commands import (
    TASK_COMMANDS,
    Actor,
    AssignTask,
    ClaimTask,
    DecideTask,
    IssueObservations,
    PublishOpinion,
    RecordOpinion,
    RecordStep,
    ReferToCommittee,
)
from services.review.domain.decision import NOTE_FACTS, Outcome
from services.review.domain.errors import DomainError
from services.review.domain.task import Task
from shared.catalogue import Kind
from shared.policy import Policy

InputType = Literal["choice", "text", "number", "lines"]


@dataclass(frozen=True)
class InputField:
    """One field of the action's JSON body: ``note.zoning`` is ``zoning`` inside ``note``.
    ``outcome``: required only when deciding with that outcome. A choice's values are the
    action's outcomes, steps or opinions (assignee: a colleague holding one of its
    assignable roles; session_id: a committee session)."""

    name: str
    type: InputType
    required: bool
    outcome: str | None = None


@dataclass(frozen=True)
class AllowedAction:
    action: str  # the policy's task action: claim, assign, observe, decide, refer, record_step…
    outcomes: tuple[str, ...] = ()  # decide: the outcomes it may take now; publish: what it decides
    steps: tuple[str, ...] = ()  # record_step: the next legal step
    opinions: tuple[str, ...] = ()  # record_opinion: from least to most severe
    assignable_roles: tuple[str, ...] = ()  # assign: the roles a colleague must hold
    fields: tuple[InputField, ...] = ()


def allowed_actions(task: Task, spec: Kind | None, policy: Policy, actor: Actor,
                    given: Sequence[Mapping[str, Any]] = ()) -> list[AllowedAction]:
    """``given``: the opinions of the task's current committee round (committee kinds)."""
    if spec is None:  # a kind the catalogue no longer has: nothing to offer
        return []
    offered = []
    for command in TASK_COMMANDS:
        if not policy.allows(actor.roles, command.ACTION, task.kind):
            continue
        if command.ASSIGNEE_ONLY and not task.may_act(actor.sub, supervisor=actor.acts_for_others):
            continue
        try:
            offered.append(_DESCRIBE[command](task, spec, policy, actor, given))
        except DomainError:  # the task refuses it in its present state
            continue
    return offered


def _claim(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_claim()
    return AllowedAction(ClaimTask.ACTION)


def _assign(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_assign()
    return AllowedAction(AssignTask.ACTION, assignable_roles=tuple(sorted(policy.assignable_roles(task.kind))),
                         fields=(InputField("assignee", "choice", True),))


def _observe(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_observe()
    return AllowedAction(IssueObservations.ACTION, fields=(InputField("observations", "text", True),))


def _decide(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_decide(spec)
    outcomes = tuple(outcome for outcome in spec.outcomes if _passes(lambda o=outcome: task.check_outcome(o, spec)))
    fields = [InputField("outcome", "choice", True), InputField("text", "text", True)]
    if Outcome.NOTE_ISSUED in outcomes:
        fields += [InputField(f"note.{name}", kind, required, Outcome.NOTE_ISSUED.value)  # type: ignore[arg-type]
                   for name, kind, required in NOTE_FACTS]
    if Outcome.OBSERVATIONS_ISSUED in outcomes:
        fields.append(InputField("preliminary_observations", "lines", True, Outcome.OBSERVATIONS_ISSUED.value))
    return AllowedAction(DecideTask.ACTION, outcomes=outcomes, fields=tuple(fields))


def _refer(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_refer(spec)
    return AllowedAction(ReferToCommittee.ACTION, fields=(InputField("session_id", "choice", False),))


def _record_step(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    step = task.check_step(spec)
    return AllowedAction(RecordStep.ACTION, steps=(step.value,),
                         fields=(InputField("step", "choice", True), InputField("note", "text", False)))


def _record_opinion(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_opinion(actor.sub, given)
    return AllowedAction(RecordOpinion.ACTION, opinions=tuple(o.value for o in committee.SEVERITY),
                         fields=(InputField("opinion", "choice", True), InputField("motive", "text", True)))


def _publish(task: Task, spec: Kind, policy: Policy, actor: Actor, given: Sequence) -> AllowedAction:
    task.check_publish(given)
    aggregate = committee.aggregate([o["opinion"] for o in given])
    decides = committee.OUTCOME_OF.get(aggregate)  # None: adjourned, the next round follows
    return AllowedAction(PublishOpinion.ACTION, outcomes=(decides,) if decides else ())


_Describe = Callable[[Task, Kind, Policy, Actor, Sequence], AllowedAction]
# Each command that changes a task → what it takes, once the task's own check passed.
_DESCRIBE: dict[type, _Describe] = {
    ClaimTask: _claim, AssignTask: _assign, IssueObservations: _observe, DecideTask: _decide,
    ReferToCommittee: _refer, RecordStep: _record_step, RecordOpinion: _record_opinion, PublishOpinion: _publish,
}


def _passes(check: Callable[[], object]) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True
