"""What a handler refuses, in domain terms. Pure: no HTTP here; ``shared/problems.py`` maps
each class to a status code once, for every service."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A command or query refused for a reason the caller can act on.

    ``errors`` names the fields at fault (``{"field", "message", "code", ...}``); ``title``
    overrides the short summary of the error's class."""

    title: str | None = None

    def __init__(self, detail: str, *, title: str | None = None, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail)
        self.detail, self.errors = detail, errors
        if title is not None:
            self.title = title


class NotFound(DomainError):
    """There is no such thing (or the caller may not know it exists)."""


class Forbidden(DomainError):
    """The caller's roles do not allow this action on this thing."""


class Conflict(DomainError):
    """The command does not fit the current state."""


class InvalidInput(DomainError):
    """A field is missing or wrong."""

    def __init__(self, field: str, message: str, *, code: str = "invalid", title: str | None = None):
        super().__init__(message, title=title, errors=[{"field": field, "message": message, "code": code}])
        self.field, self.message = field, message


class TooLarge(DomainError):
    """A body or a document exceeds its limit."""


class UnsupportedContent(DomainError):
    """A document's real type is not one of those accepted."""


class Unavailable(DomainError):
    """A server this depends on is away for now; the same request may succeed later."""


class UpstreamFailure(DomainError):
    """A server this relies on (the mail server…) refused or failed the request just made."""
