"""Committee opinions: the four opinions, their severity, and what a published opinion decides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from shared.errors import InvalidInput


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
