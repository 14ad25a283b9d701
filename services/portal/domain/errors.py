"""What the portal's pages refuse, in domain terms (shared/errors.py): the error pages
(api/errors.py) turn each into a page, so every "not found" is the same page, whatever raised it."""

from __future__ import annotations

from shared.errors import Conflict, DomainError, Forbidden, NotFound


class SignInRequired(DomainError):
    """A staff page asked for without a valid session: the sign-in page, then back."""

    def __init__(self) -> None:
        super().__init__("Sign in to see this page.")


class PageRefused(Forbidden):
    """The signed-in person's roles do not allow this page or action (shared/policy.toml)."""

    def __init__(self, action: str) -> None:
        super().__init__(f"Your roles do not allow: {action}.")
        self.action = action


class PageNotFound(NotFound):
    """No such page, or a link that no longer leads anywhere; ``reason`` picks the page's words."""

    def __init__(self, reason: str = "not_found") -> None:
        super().__init__("There is no such page.")
        self.reason = reason


class NotIssuedYet(Conflict):
    """A document asked for in the seconds before the agency issued it (the receipt, just after
    filing): the page says so and when to ask again."""

    reason = "being_issued"
    retry_after = 3

    def __init__(self) -> None:
        super().__init__("The document is being issued.")
