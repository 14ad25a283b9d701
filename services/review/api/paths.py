"""Where each task action is posted: the routes are declared with these paths, and each allowed
action in an answer names its own, so the two cannot differ."""

from __future__ import annotations

from uuid import UUID

from services.review.domain.commands import (
    AssignTask,
    ClaimTask,
    DecideTask,
    IssueObservations,
    PublishOpinion,
    RecordOpinion,
    RecordStep,
    ReferToCommittee,
)

TASKS = "/api/v1/tasks"
ACTION_PATHS = {  # under TASKS
    ClaimTask.ACTION: "/{task_id}/claim",
    AssignTask.ACTION: "/{task_id}/assign",
    IssueObservations.ACTION: "/{task_id}/observations",
    DecideTask.ACTION: "/{task_id}/decision",
    RecordStep.ACTION: "/{task_id}/steps",
    ReferToCommittee.ACTION: "/{task_id}/refer",
    RecordOpinion.ACTION: "/{task_id}/opinions",
    PublishOpinion.ACTION: "/{task_id}/publish",
}


def action_path(action: str, task_id: UUID) -> str:
    return TASKS + ACTION_PATHS[action].format(task_id=task_id)
