"""Browser-facing protections: CSRF tokens, security headers with a strict Content-Security-Policy (no
inline script or style), cookie flags, sealed cookies (Fernet: encrypted and dated, so an
access code or a draft token never sits in clear in a cookie, nor ever in a URL), and rate
limits per client address."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # A resume link carries its token: no page may pass its address on to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the headers above to every answer that does not set its own, and HttpOnly (plus
    Secure over HTTPS) to every cookie."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool):
        self.app, self.secure = app, secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, self._cookie(v) if k.lower() == b"set-cookie" else v) for k, v in message["headers"]]
                own = {k.lower() for k, _ in headers}  # a response may set its own (a framed preview)
                message = {**message, "headers": headers + [h for h in HEADERS if h[0] not in own]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, value: bytes) -> bytes:
        flags = {part.strip().lower() for part in value.split(b";")}
        if b"httponly" not in flags:
            value += b"; HttpOnly"
        if self.secure and b"secure" not in flags:
            value += b"; Secure"
        return value


class Sealer:
    """Encrypts small JSON values for cookies; a value older than ``max_age`` reads as None."""

    def __init__(self, secret: str, purpose: str):
        key = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, value: object) -> str:
        return self._fernet.encrypt(json.dumps(value).encode()).decode()

    def unseal(self, token: str | None, max_age: int) -> object | None:
        if not token:
            return None
        try:
            return json.loads(self._fernet.decrypt(token.encode(), ttl=max_age))
        except (InvalidToken, ValueError):
            return None


class TooManyRequests(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class RateLimit:
    """A moving window per client address (one process; several portals would share a Redis
    storage, which `limits` offers with the same interface)."""

    def __init__(self, name: str, rule: str, storage: MemoryStorage):
        self.name, self.item = name, parse(rule)
        self._limiter = MovingWindowRateLimiter(storage)

    def hit(self, client: str) -> None:
        if not self._limiter.hit(self.item, self.name, client):
            reset_at, _ = self._limiter.get_window_stats(self.item, self.name, client)
            raise TooManyRequests(max(1, math.ceil(reset_at - time.time())))


class CsrfTokens:
    """Double-submit CSRF protection: a random value in an HttpOnly cookie, and every form
    carries it signed and dated (itsdangerous). A POST is accepted only when the two match.
    The cookie is kept across pages, so several tabs and htmx refreshes share one value."""

    COOKIE = "csrf"
    FIELD = "csrftoken"

    def __init__(self, secret: str, max_age: int):
        self._signer, self.max_age = URLSafeTimedSerializer(secret, salt="portal-csrf"), max_age

    def token(self, cookie: str | None) -> tuple[str, str | None]:
        """The form token for this browser, and the cookie value to set if it has none yet."""
        if cookie and len(cookie) == 43:
            return self._signer.dumps(cookie), None
        fresh = secrets.token_urlsafe(32)
        return self._signer.dumps(fresh), fresh

    def matches(self, cookie: str | None, submitted: object) -> bool:
        if not cookie or not isinstance(submitted, str):
            return False
        try:
            return secrets.compare_digest(self._signer.loads(submitted, max_age=self.max_age), cookie)
        except BadData:
            return False


class CsrfRefused(Exception):
    """A form came without the token of this browser's CSRF cookie."""
