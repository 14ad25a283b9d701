-- The nearest legal deadline, as review last announced it (review.task_queued), for the public view.
ALTER TABLE submissions ADD COLUMN due_at timestamptz;
