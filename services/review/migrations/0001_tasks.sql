-- Review tasks: one per filing (the tracking number is unique), with what the applicant sent.
CREATE TABLE tasks (
    id               uuid PRIMARY KEY,
    tracking_number  text NOT NULL UNIQUE,
    kind             text NOT NULL,
    status           text NOT NULL,
    version          integer NOT NULL CHECK (version >= 1),
    assignee         text,
    applicant        jsonb NOT NULL,
    details          jsonb NOT NULL,
    documents        jsonb NOT NULL DEFAULT '[]',
    messages         jsonb NOT NULL DEFAULT '[]',
    observations     jsonb NOT NULL DEFAULT '[]',
    decision         jsonb,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX tasks_by_status ON tasks (status, created_at, id);
CREATE INDEX tasks_by_assignee ON tasks (assignee, created_at, id);

-- Every change to a task, written in the same transaction as the change and its outbox row.
CREATE TABLE task_history (
    id           bigserial PRIMARY KEY,
    task_id      uuid NOT NULL REFERENCES tasks (id),
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    note         text
);
CREATE INDEX task_history_by_task ON task_history (task_id, id);

-- Append-only: history rows are never changed or removed.
CREATE FUNCTION task_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'task_history is append-only';
END;
$$;
CREATE TRIGGER task_history_append_only
    BEFORE UPDATE OR DELETE ON task_history
    FOR EACH ROW EXECUTE FUNCTION task_history_append_only();
