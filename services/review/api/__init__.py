"""Staff API (thin routers: parse the request, call a handler, shape the answer)."""

from services.review.api import committee, documents, tasks

routers = [tasks.router, committee.router, committee.task_router, documents.router]
