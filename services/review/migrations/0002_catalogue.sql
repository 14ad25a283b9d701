-- Issue 3: each kind's own path (finance steps, committee rounds, contest), linked pre-studies,
-- legal deadlines and their alerts, committee sessions and opinions, an audit trail per filing.
ALTER TABLE tasks
    ADD COLUMN received_at      timestamptz,
    ADD COLUMN previous         jsonb,
    ADD COLUMN steps            jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN committee_round  integer NOT NULL DEFAULT 1,
    ADD COLUMN session_id       uuid,
    ADD COLUMN contested        boolean NOT NULL DEFAULT false,
    ADD COLUMN contest          jsonb;

-- The history is also the audit trail: which filing each row is about.
ALTER TABLE task_history ADD COLUMN tracking_number text;

-- One row per legal deadline of a task (the catalogue's rules at filing time).
CREATE TABLE deadlines (
    task_id      uuid NOT NULL REFERENCES tasks (id),
    name         text NOT NULL,
    unit         text NOT NULL CHECK (unit IN ('working_days', 'calendar_days')),
    days         integer NOT NULL CHECK (days > 0),
    started_on   date NOT NULL,
    due_on       date NOT NULL,
    met_when     text[] NOT NULL,
    paused_days  integer NOT NULL DEFAULT 0,
    paused_at    timestamptz,           -- set while the agency waits for the applicant
    met_at       timestamptz,
    PRIMARY KEY (task_id, name)
);
CREATE INDEX deadlines_open_by_due ON deadlines (due_on) WHERE met_at IS NULL;

-- Each alert once per task and deadline: inserted with its outbox row, ON CONFLICT DO NOTHING.
CREATE TABLE deadline_alerts (
    task_id   uuid NOT NULL REFERENCES tasks (id),
    deadline  text NOT NULL,
    alert     text NOT NULL CHECK (alert IN ('approaching', 'breached')),
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, deadline, alert)
);

CREATE TABLE committee_sessions (
    id            uuid PRIMARY KEY,
    session_date  date NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tasks ADD CONSTRAINT tasks_session FOREIGN KEY (session_id) REFERENCES committee_sessions (id);

-- One opinion per member per round of a task.
CREATE TABLE opinions (
    id        bigserial PRIMARY KEY,
    task_id   uuid NOT NULL REFERENCES tasks (id),
    round     integer NOT NULL,
    member    text NOT NULL,
    opinion   text NOT NULL CHECK (opinion IN ('favourable', 'favourable_with_conditions', 'adjourned', 'unfavourable')),
    motive    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_id, round, member)
);
