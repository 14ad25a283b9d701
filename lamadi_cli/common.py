"""What every lamadi sub-command shares: its error type, settings and table output."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import httpx
from pydantic import ValidationError

from shared.auth import issue_token
from shared.settings import ServiceSettings


class CliError(Exception):
    """A failure to report on stderr; ``code`` 2 for bad usage, 1 otherwise."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def load_settings() -> ServiceSettings:
    try:
        return ServiceSettings()
    except ValidationError as exc:
        problems = "; ".join(error["msg"] for error in exc.errors())
        raise CliError(f"invalid LAMADI_* settings: {problems}") from None


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)])


def call_service(service: str, method: str, url: str, path: str, *, by: str, timeout: float,
                 params: dict | None = None, url_option: str = "--url") -> dict:
    """One request to a Lamadi service as ``by`` with the ops role (a 5-minute token signed with
    LAMADI_JWT_SECRET); its JSON answer, or a CliError saying what went wrong (``url_option``:
    the command's option that gives the service's URL)."""
    secret = load_settings().jwt_secret.get_secret_value()
    token = issue_token(secret, sub=by, roles=["ops"], ttl=timedelta(minutes=5))
    try:
        response = httpx.request(method, f"{url.rstrip('/')}{path}", params=params,
                                 headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise CliError(f"cannot reach the {service} service at {url} ({type(exc).__name__}); "
                       f"is it running? ({url_option})") from None
    if response.status_code != 200:
        try:
            detail = response.json().get("detail") or response.json().get("title")
        except ValueError:
            detail = response.text[:200]
        raise CliError(f"{service} answered {response.status_code}: {detail}")
    return response.json()
