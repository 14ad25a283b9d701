"""Staff authentication: HS256 JWT bearer tokens carrying roles; what the roles allow is the
policy's (shared/policy.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.policy import ROLES
from shared.problems import Problem

ISSUER = "lamadi"
_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Staff:
    sub: str
    roles: frozenset[str]


def issue_token(secret: str, *, sub: str, roles: list[str], ttl: timedelta = timedelta(hours=12)) -> str:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}; known: {', '.join(ROLES)}")
    now = datetime.now(UTC)
    claims = {"sub": sub, "roles": roles, "iss": ISSUER, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


def require(action: str):
    """Dependency: a valid token whose roles may take ``action`` (shared/policy.toml) on some
    kind; the handler then checks the kind of the very task."""

    async def dependency(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Staff:
        if credentials is None:
            raise _unauthorized("A bearer token is required.")
        secret = request.app.state.settings.jwt_secret.get_secret_value()
        try:
            claims = jwt.decode(credentials.credentials, secret, algorithms=["HS256"], issuer=ISSUER,
                                options={"require": ["sub", "exp"]})
        except jwt.PyJWTError as exc:
            raise _unauthorized(f"The token is not valid: {exc}.") from None
        staff = Staff(sub=str(claims["sub"]), roles=frozenset(claims.get("roles") or []))
        request.app.state.deps.policy.ensure(staff.roles, action)
        return staff

    return dependency
