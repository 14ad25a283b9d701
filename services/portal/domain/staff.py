"""The staff directory's rules: who a signed-in person is, what a valid account and password
are, and when repeated failures lock an account. Pure: the handlers do the I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email

from shared.errors import InvalidInput
from shared.policy import ROLES

PASSWORD_MIN, PASSWORD_MAX = 12, 256


@dataclass(frozen=True)
class StaffIdentity:
    """A signed-in person as every staff page sees them, whoever proved it (the directory's
    password today, an OpenID Connect provider later): ``sub`` goes into the tokens."""

    sub: str
    name: str
    roles: frozenset[str]


@dataclass
class Account:
    email: str
    full_name: str
    roles: list[str]
    password_hash: str
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def identity(self) -> StaffIdentity:
        return StaffIdentity(sub=self.email, name=self.full_name, roles=frozenset(self.roles))

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def fail(self, now: datetime, *, attempts_allowed: int, lockout: timedelta) -> bool:
        """One more wrong password; True if it locks the account (the count starts again after)."""
        self.failed_attempts += 1
        if self.failed_attempts < attempts_allowed:
            return False
        self.failed_attempts, self.locked_until = 0, now + lockout
        return True

    def succeed(self) -> None:
        self.failed_attempts, self.locked_until = 0, None

    def unlock(self) -> None:
        self.succeed()


@dataclass(frozen=True)
class SignInResult:
    """A sign-in either opens a session (``identity`` and the cookie's ``session_token``) or is
    refused (``refusal``: "unknown" for any wrong email, password or disabled account, so the
    answer never tells which; "locked" with ``locked_until``)."""

    identity: StaffIdentity | None = None
    session_token: str | None = None
    refusal: str | None = None
    locked_until: datetime | None = None


def checked_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidInput("email", "not an email address", code="format") from None


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not 2 <= len(name) <= 200:
        raise InvalidInput("full_name", "a name has 2 to 200 characters", code="too_short" if len(name) < 2 else "too_long")
    return name


def checked_roles(roles: list[str]) -> list[str]:
    roles = list(dict.fromkeys(role.strip() for role in roles if role.strip()))
    if not roles:
        raise InvalidInput("roles", "choose at least one role", code="required")
    if unknown := set(roles) - set(ROLES):
        raise InvalidInput("roles", f"unknown role(s): {', '.join(sorted(unknown))}", code="choice")
    return roles


def check_password(password: str) -> None:
    """Length is what makes a password strong (NIST SP 800-63B): no composition rules."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput("password", f"a password has at least {PASSWORD_MIN} characters", code="too_short")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("password", f"a password has at most {PASSWORD_MAX} characters", code="too_long")


@dataclass(frozen=True)
class Reply:
    """A standard reply: a kind's ready-made text a reviewer starts an answer from."""

    kind: str
    title: str
    body: str
    id: str | None = None
    updated_by: str | None = None
    updated_at: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)


def checked_reply(kind: str, title: str, body: str, kinds: list[str]) -> tuple[str, str, str]:
    if kind not in kinds:
        raise InvalidInput("kind", "not a kind of filing", code="choice")
    title, body = " ".join(title.split()), body.strip()
    if not 2 <= len(title) <= 200:
        raise InvalidInput("title", "a title has 2 to 200 characters", code="too_short" if len(title) < 2 else "too_long")
    if not 2 <= len(body) <= 20_000:
        raise InvalidInput("body", "a reply has 2 to 20000 characters", code="too_short" if len(body) < 2 else "too_long")
    return kind, title, body
