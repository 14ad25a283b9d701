"""The staff pages (`/staff/…`) and operations (`/ops/…`), behind a sign-in."""

from services.portal.api.staff import admin, auth, committee, finance, ops, queue, task

# queue before task: /staff/tasks/assign and /staff/tasks.csv before /staff/tasks/{task_id}.
routers = [auth.router, queue.router, task.router, committee.router, finance.router, ops.router, admin.router]
