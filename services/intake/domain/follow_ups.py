"""Filings that follow an earlier decision: a pre-study filed again, and a contested
committee decision. Pure rules: each returns why it is refused, or None."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.lifecycle import Status

DECIDED = frozenset({Status.DECIDED, Status.CLOSED})


def previous_pre_study_refusal(previous: Mapping[str, Any] | None, applicant_email: str) -> str | None:
    """A pre-study filed again may link an earlier pre-study of the same applicant, once decided.

    ``previous`` holds the earlier filing's kind, status and applicant email (None if unknown).
    An unknown number and another applicant's filing get the same answer: no hint either way."""
    same_applicant = previous is not None and previous["email"].casefold() == applicant_email.casefold()
    if not same_applicant:
        return "No filing of yours has this tracking number."
    if previous["kind"] != "pre_study":
        return "The previous filing is not a pre-study."
    if previous["status"] not in DECIDED:
        return "The previous pre-study has no preliminary observations yet: it is not decided."
    return None


def contest_refusal(*, review_path: str, status: str, decision: Mapping[str, Any] | None,
                    contested: bool) -> str | None:
    """An applicant may contest a rejected committee decision, once."""
    if contested:
        return "This filing was already contested: a decision can be contested only once."
    if review_path != "committee":
        return "Only committee decisions (building and subdivision permits) can be contested."
    if status not in DECIDED or decision is None:
        return f"Only a decided filing can be contested; this one is {status}."
    if decision.get("outcome") != "rejected":
        return "Only a rejected (unfavourable) decision can be contested."
    return None
