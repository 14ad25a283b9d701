"""The portal's commands and queries over its own schema (the staff directory and the
standard replies): what a handler is asked to do, imperative names, no I/O. A command that
carries a password never shows it in a traceback or a log line."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

# The staff directory.

@dataclass(frozen=True)
class SignIn:
    email: str
    password: str
    client: str | None = None

    def __repr__(self) -> str:  # never a password in a traceback or a log
        return "SignIn(email=…, password=…)"


@dataclass(frozen=True)
class SignOut:
    session_token: str
    client: str | None = None


@dataclass(frozen=True)
class CurrentStaff:
    session_token: str


@dataclass(frozen=True)
class AddStaff:
    email: str
    full_name: str
    roles: list[str]
    password: str
    actor: str

    def __repr__(self) -> str:
        return f"AddStaff(roles={self.roles!r}, actor={self.actor!r})"


@dataclass(frozen=True)
class DisableStaff:
    email: str
    actor: str
    disabled: bool = True  # False: enable again


@dataclass(frozen=True)
class ResetPassword:
    email: str
    password: str
    actor: str

    def __repr__(self) -> str:
        return f"ResetPassword(actor={self.actor!r})"


@dataclass(frozen=True)
class UnlockStaff:
    email: str
    actor: str


@dataclass(frozen=True)
class ChangeRoles:
    email: str
    roles: list[str]
    actor: str


@dataclass(frozen=True)
class ListStaff:
    audit_limit: int = 50


# The standard replies.

@dataclass(frozen=True)
class ListReplies:
    kinds: list[str] | None = None  # None: every kind


@dataclass(frozen=True)
class SaveReply:
    kind: str
    title: str
    body: str
    actor: str
    reply_id: UUID | None = None  # None: a new reply


@dataclass(frozen=True)
class DeleteReply:
    reply_id: UUID
    actor: str
