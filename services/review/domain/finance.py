"""Supplier invoices: the finance steps, in their one legal order, before ``paid``; and the
stage an invoice is at (what it waits for), from the same order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.review.domain.decision import Outcome
from services.review.domain.errors import Conflict
from shared.lifecycle import OPEN_STATES, Status


class Step(StrEnum):
    VERIFIED = "verified"
    APPROVED_FOR_PAYMENT = "approved_for_payment"


ORDER = (Step.VERIFIED, Step.APPROVED_FOR_PAYMENT)


class Stage(StrEnum):
    """What an invoice waits for: each step in ``ORDER``, then the payment (the decision)."""

    TO_VERIFY = "to_verify"
    TO_APPROVE = "to_approve"
    TO_PAY = "to_pay"
    PAID = "paid"


# The stage an open invoice is at while ``step`` is its next one.
STAGE_BEFORE = {Step.VERIFIED: Stage.TO_VERIFY, Step.APPROVED_FOR_PAYMENT: Stage.TO_APPROVE}


def next_step(done: Sequence[str]) -> Step | None:
    """The first step not yet recorded (None: every step is)."""
    return next((step for step in ORDER if step.value not in done), None)


def check_next_step(done: Sequence[str], step: Step | str) -> Step:
    """``step`` must be the first step not yet recorded."""
    step = Step(step)
    if step.value in done:
        raise Conflict(f"The step {step.value} is already recorded.")
    expected = next_step(done)
    if expected != step:
        raise Conflict(f"The step {expected.value} must be recorded before {step.value}.")  # type: ignore[union-attr]
    return step


def check_may_pay(done: Sequence[str]) -> None:
    if Step.APPROVED_FOR_PAYMENT.value not in done:
        raise Conflict("An invoice is paid only once approved for payment (steps: verified, then approved_for_payment).")


@dataclass(frozen=True)
class StageRule:
    """Which invoices are at a stage: their statuses, the steps recorded (exactly, in order), and
    for a paid one the decision's outcome. The task list filters on it (repository)."""

    statuses: frozenset[Status]
    steps: tuple[str, ...] | None = None  # None: any
    outcome: str | None = None

    def matches(self, status: Status | str, steps: Sequence[str], decision: dict[str, Any] | None) -> bool:
        return (Status(status) in self.statuses and (self.steps is None or tuple(steps) == self.steps)
                and (self.outcome is None or (decision or {}).get("outcome") == self.outcome))


def _rules() -> dict[Stage, StageRule]:
    rules = {STAGE_BEFORE[step]: StageRule(frozenset(OPEN_STATES), tuple(s.value for s in ORDER[:n]))
             for n, step in enumerate(ORDER)}
    rules[Stage.TO_PAY] = StageRule(frozenset(OPEN_STATES), tuple(s.value for s in ORDER))
    rules[Stage.PAID] = StageRule(frozenset({Status.DECIDED, Status.CLOSED}), outcome=Outcome.PAID.value)
    return rules


STAGES = _rules()


def stage_of(status: Status | str, steps: Sequence[str], decision: dict[str, Any] | None) -> Stage | None:
    """The invoice's stage; None once it is rejected or withdrawn."""
    return next((stage for stage, rule in STAGES.items() if rule.matches(status, steps, decision)), None)
