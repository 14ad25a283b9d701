"""The staff pages (`/staff/…`) and operations (`/ops/…`), behind a sign-in."""

from services.portal.api.staff import admin, auth, committee, finance, ops, queue, task, task_files

# queue before task: /staff/tasks/assign and /staff/tasks.csv before /staff/tasks/{task_id};
# task_files before task: POST …/note-preview before the task's actions (…/{action}).
routers = [auth.router, queue.router, task_files.router, task.router, committee.router, finance.router, ops.router,
           admin.router]
