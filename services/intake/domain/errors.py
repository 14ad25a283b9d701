"""What intake refuses, besides illegal transitions (shared.lifecycle.IllegalTransition) and the
upload rules' refusals (domain/documents.py). Each is one of the shared domain errors, which
shared/problems.py maps to HTTP answers (and api/open311.py to Open311's)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.errors import Conflict, Forbidden, NotFound


class FilingNotFound(NotFound):
    def __init__(self) -> None:  # the same answer whether the number or the token is wrong: no hint
        super().__init__("No filing with this tracking number and access token.")


class DraftNotFound(NotFound):
    def __init__(self) -> None:  # the same answer for a wrong id, a wrong token or an expired draft
        super().__init__("No draft with this id and resume token (drafts expire).")


class InvalidApiKey(Forbidden):
    """An Open311 request without a valid client key."""

    def __init__(self) -> None:
        super().__init__("Missing or invalid api_key: ask the agency for a key for your application.",
                         errors=[{"field": "api_key", "message": "missing or invalid api_key", "code": "api_key"}])


class ServiceNotFound(NotFound):
    """An Open311 service_code that is not one of ``known``."""

    def __init__(self, code: str, known: Sequence[str]):
        super().__init__(f"service_code {code!r} was not found; GET services lists the codes "
                         f"({', '.join(known)}).", errors=[{"field": "service_code", "code": "not_found",
                                                            "message": f"service_code {code!r} was not found"}])


class NotIssuedYet(Conflict):
    """The notifier issues the receipt a moment after the filing (and a decision's documents a
    moment after the decision): asked for before, it is not there yet."""

    title = "Not issued yet"


class IssuedDocumentNotFound(NotFound):
    title = "Document not found"
