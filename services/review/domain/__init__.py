"""Pure review domain, no I/O: the Task aggregate (task.py), what a decision carries
(decision.py), committee opinions (committee.py), finance steps and stages (finance.py), legal
deadlines and their state (deadlines.py), the audit codes (audit.py), what a person may do on a
task (allowed.py) and a task as they see it (views.py), commands and errors."""
