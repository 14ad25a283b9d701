"""Paging past PostgreSQL's 64-bit OFFSET is bad input: a 422 naming the parameter, never the
500 the database's overflow gave (reporting's archive of daily reports, the operators' trail,
the notifier's deliveries)."""

from __future__ import annotations

TOO_FAR = "51797038407458775040"  # > 2**63 - 1


def refused_offset(answer) -> bool:
    return answer.status_code == 422 and [e["field"] for e in answer.json()["errors"]] == ["query.offset"]


async def test_reporting_refuses_an_offset_past_64_bits_on_every_list(reporting):
    ops = reporting.as_staff("ops", sub="ops-1")
    daily = await ops.get(f"/api/v1/reports/daily?limit=33&format=xlsx&offset={TOO_FAR}")
    assert refused_offset(daily), daily.text
    actions = await ops.get("/api/v1/ops/actions", params={"offset": TOO_FAR})
    assert refused_offset(actions), actions.text
    largest = await ops.get("/api/v1/reports/daily", params={"offset": 2**63 - 1})
    assert largest.status_code == 200 and largest.json()["reports"] == []


async def test_the_notifier_refuses_an_offset_past_64_bits(notifier):
    answer = await notifier.as_staff("ops", sub="ops-1").get("/api/v1/deliveries", params={"offset": TOO_FAR})
    assert refused_offset(answer), answer.text
