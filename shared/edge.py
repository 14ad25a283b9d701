"""The HTTP edge of every service, as one pure ASGI middleware (cheaper than Starlette's
BaseHTTPMiddleware, and able to refuse a request before any route sees it):

- the correlation id, taken from ``X-Correlation-ID`` or made, bound to every log line and
  echoed in the answer; one ``http_request`` log line and a duration metric per request;
- one rule for strings (shared/text.py): a control character in the path, the query string or
  a JSON body is a 422 naming the field; malformed or too deeply nested JSON is a 400 (a form's
  fields get the same rule, ``check_pairs``, where the form is read);
- ``X-Content-Type-Options: nosniff`` on every answer, so no browser guesses a type."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import parse_qsl

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics import HTTP_REQUESTS
from shared.problems import Problem, problem_body
from shared.text import CONTROL, TooDeep, control_character_fields

CORRELATION_HEADER = "X-Correlation-ID"
QUIET_ROUTES = ("/healthz", "/readyz", "/metrics")
JSON_TYPES = ("application/json", "application/problem+json")
CHECKED_JSON = "checked_json"  # request.state: the JSON body, parsed and checked here
log = structlog.get_logger()


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


def _control_characters(fields: list[str], where: str) -> Problem:
    return Problem(422, "Invalid request", f"Control characters are not allowed in the {where}.",
                   errors=[{"field": field, "message": "control characters are not allowed",
                            "code": "control_character"} for field in fields])


def _check_url(scope: Scope) -> None:
    if CONTROL.search(scope["path"]):
        raise _control_characters(["path"], "path")
    query = scope.get("query_string", b"").decode("latin-1")
    check_pairs(parse_qsl(query, keep_blank_values=True), "query")


def check_pairs(pairs: list[tuple[str, str]], where: str) -> None:
    """The shared string rule on names and values (a query string, a form's text fields)."""
    bad = sorted({f"{where}.{name!r}" if CONTROL.search(name) else f"{where}.{name}"
                  for name, value in pairs if CONTROL.search(name) or CONTROL.search(value)})
    if bad:
        raise _control_characters(bad, where)


def checked_json_body(scope: Scope) -> object:
    """The request's JSON body as this middleware parsed and checked it; None if it did not."""
    return scope.get("state", {}).get(CHECKED_JSON)


def check_json(raw: bytes | str, where: str = "body") -> object:
    """Parse a JSON document under the shared string rule; a Problem (400 or 422) if it breaks it."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise Problem(400, "Malformed JSON", "The body is nested too deeply.") from None
    except ValueError as exc:
        raise Problem(400, "Malformed JSON", f"The body is not valid JSON: {exc}.") from None
    try:
        fields = control_character_fields(value, where)
    except TooDeep as exc:
        raise Problem(400, "Malformed JSON", f"The body is {exc}.") from None
    if fields:
        raise _control_characters(fields, where)
    return value


async def _read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _checked_receive(scope: Scope, receive: Receive) -> Receive:
    """Check the body when it is JSON; give the app the same bytes to read. (A form's fields are
    checked where the form is read, with ``check_pairs``: Open311 answers in its own format.)"""
    content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        return receive
    try:
        body = await _read_body(receive)
    except HTTPException as exc:  # the body limit, while reading
        raise Problem(exc.status_code, "Request too large", str(exc.detail)) from None
    if body.strip():
        # Kept for the route that parses this body, so that it is parsed and checked once.
        scope["state"][CHECKED_JSON] = check_json(body)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class EdgeMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, CORRELATION_HEADER.lower().encode())
        cid = given if 8 <= len(given) <= 64 and given.isprintable() else str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = cid
        started, status = time.perf_counter(), 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-correlation-id", cid.encode()),
                                      (b"x-content-type-options", b"nosniff")]
            await send(message)

        with structlog.contextvars.bound_contextvars(correlation_id=cid):
            try:
                _check_url(scope)
                checked = await _checked_receive(scope, receive)
            except Problem as refused:
                await _refuse(scope, send_with_headers, refused)
            else:
                await self.app(scope, checked, send_with_headers)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                HTTP_REQUESTS.labels(scope["method"], route, status).observe(time.perf_counter() - started)
                if route not in QUIET_ROUTES:
                    log.info("http_request", method=scope["method"], route=route, status=status)


async def _refuse(scope: Scope, send: Send, refused: Problem) -> None:
    body = json.dumps(problem_body(refused.status, refused.title, scope["path"], refused.detail,
                                   refused.errors)).encode()
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
