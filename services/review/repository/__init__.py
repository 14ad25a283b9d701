"""The review service's SQL, and nothing else's (tables in the ``review`` schema)."""

from services.review.repository.committee import (
    get_session,
    has_opinion,
    insert_opinion,
    insert_session,
    list_sessions,
    opinions,
    opinions_of,
)
from services.review.repository.deadlines import (
    alert_candidates,
    claim_alert,
    deadlines_of,
    insert_deadlines,
    update_deadlines,
)
from services.review.repository.tasks import (
    add_history,
    get_task,
    get_task_by_tracking_number,
    history,
    insert_task,
    list_tasks,
    update_task,
)

__all__ = [
    "add_history", "alert_candidates", "claim_alert", "deadlines_of", "get_session", "get_task",
    "get_task_by_tracking_number", "has_opinion", "history", "insert_deadlines", "insert_opinion",
    "insert_session", "insert_task", "list_sessions", "list_tasks", "opinions", "opinions_of", "update_deadlines",
    "update_task",
]
