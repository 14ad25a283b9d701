"""Pure review domain, no I/O: the Task aggregate (task.py), what a decision carries
(decision.py), committee opinions (committee.py), finance steps (finance.py), legal
deadlines (deadlines.py), commands and errors."""
