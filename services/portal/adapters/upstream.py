"""What the portal's two clients of the other services (intake_client, staff_api) share: the
headers and keep-alive they use, and how a service's answer becomes an error the pages show."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

CORRELATION_HEADER = "X-Correlation-ID"
# Idle connections are dropped before uvicorn's 5 s keep-alive closes them on its side, so a
# request never goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0


class UpstreamUnavailable(Exception):
    """The service did not answer (down, too slow, or a server error)."""


@dataclass
class UpstreamRefused(Exception):
    """The service answered with a problem (4xx): its status, title, detail and field errors."""

    status: int
    title: str = ""
    detail: str = ""
    errors: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.title}"


def raise_for_answer(answer: httpx.Response, refused: type[UpstreamRefused], unavailable: type[UpstreamUnavailable],
                     service: str) -> None:
    """Nothing for a 2xx/3xx; ``unavailable`` for a 5xx; ``refused`` with the problem's parts for a 4xx."""
    if answer.status_code >= 500:
        raise unavailable(f"{service} answered {answer.status_code}")
    if answer.status_code >= 400:
        problem = _problem(answer)
        raise refused(answer.status_code, str(problem.get("title", "")), str(problem.get("detail", "")),
                      problem.get("errors") or [])


def _problem(answer: httpx.Response) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
