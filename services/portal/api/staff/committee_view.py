"""The committee's opinions as the portal shows them: the four codes and the aggregate, the most
severe (the same order as review's; the portal never imports review)."""

from __future__ import annotations

OPINIONS = ("favourable", "favourable_with_conditions", "adjourned", "unfavourable")  # least to most severe


def aggregate(opinions: list[str]) -> str | None:
    known = [o for o in opinions if o in OPINIONS]
    return max(known, key=OPINIONS.index) if known else None
