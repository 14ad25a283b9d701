"""Committee opinions: the four opinions, their severity, what a published opinion decides, one
opinion per member per round, and a round as staff see it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from shared.errors import Conflict, InvalidInput


class Opinion(StrEnum):
    FAVOURABLE = "favourable"
    FAVOURABLE_WITH_CONDITIONS = "favourable_with_conditions"
    ADJOURNED = "adjourned"
    UNFAVOURABLE = "unfavourable"


# Least to most severe: the aggregated opinion is the most severe one recorded.
SEVERITY = (Opinion.FAVOURABLE, Opinion.FAVOURABLE_WITH_CONDITIONS, Opinion.ADJOURNED, Opinion.UNFAVOURABLE)

OUTCOME_OF = {
    Opinion.FAVOURABLE: "approved",
    Opinion.FAVOURABLE_WITH_CONDITIONS: "approved_with_conditions",
    Opinion.UNFAVOURABLE: "rejected",
}


def aggregate(opinions: Sequence[Opinion | str]) -> Opinion:
    if not opinions:
        raise ValueError("no opinion to aggregate")
    return max((Opinion(o) for o in opinions), key=SEVERITY.index)


def aggregated_motive(opinions: Sequence[tuple[Opinion | str, str]], opinion: Opinion) -> str:
    """The motives of the members who hold the aggregated opinion, one per line."""
    return "\n".join(motive for given, motive in opinions if Opinion(given) == opinion)


def check_session_date(session_date: date, today: date, *, days_back: int, days_ahead: int) -> None:
    """A committee session is planned within a window around today (a typo such as 0001 or
    9999 is refused rather than scheduled)."""
    earliest, latest = today - timedelta(days=days_back), today + timedelta(days=days_ahead)
    if not earliest <= session_date <= latest:
        raise InvalidInput("body.session_date", f"a session date must fall between {earliest.isoformat()} and "
                                                f"{latest.isoformat()}", code="date_out_of_range")


def round_opinions(opinions: Sequence[Mapping[str, Any]], round_: int) -> list[Mapping[str, Any]]:
    """The opinions given in one round (each has its ``round``, ``member``, ``opinion``…)."""
    return [given for given in opinions if given["round"] == round_]


def check_first_opinion(member: str, given: Sequence[Mapping[str, Any]], round_: int) -> None:
    """One opinion per member per round (``given``: the round's opinions so far)."""
    if any(o["member"] == member for o in given):
        raise Conflict(already_given(member, round_))


def already_given(member: str, round_: int) -> str:
    return f"{member} has already given an opinion in round {round_} of this task."


@dataclass(frozen=True)
class RoundView:
    """A committee round as staff see it: its opinions, their aggregate so far (the most severe;
    None before the first), and every opinion from least to most severe."""

    round: int
    opinions: list[Mapping[str, Any]]
    aggregate: Opinion | None
    severity: tuple[Opinion, ...] = SEVERITY


def round_view(opinions: Sequence[Mapping[str, Any]], round_: int) -> RoundView:
    given = round_opinions(opinions, round_)
    return RoundView(round_, given, aggregate([o["opinion"] for o in given]) if given else None)
