"""Supplier invoices: the finance steps, in their one legal order, before ``paid``."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from services.review.domain.errors import Conflict


class Step(StrEnum):
    VERIFIED = "verified"
    APPROVED_FOR_PAYMENT = "approved_for_payment"


ORDER = (Step.VERIFIED, Step.APPROVED_FOR_PAYMENT)


def check_next_step(done: Sequence[str], step: Step | str) -> Step:
    """``step`` must be the first step not yet recorded."""
    step = Step(step)
    missing = [s for s in ORDER if s.value not in done]
    if step.value in done:
        raise Conflict(f"The step {step.value} is already recorded.")
    if missing[0] != step:
        raise Conflict(f"The step {missing[0].value} must be recorded before {step.value}.")
    return step


def check_may_pay(done: Sequence[str]) -> None:
    if Step.APPROVED_FOR_PAYMENT.value not in done:
        raise Conflict("An invoice is paid only once approved for payment (steps: verified, then approved_for_payment).")
