-- One row per event seen, with non-personal fields only (no names, emails, phones, CIN, free text).
CREATE TABLE report_entries (
    event_id         uuid PRIMARY KEY,
    type             text NOT NULL,
    tracking_number  text,
    kind             text,
    status           text,
    occurred_at      timestamptz NOT NULL,   -- the envelope's time
    details          jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_entries_occurred_at ON report_entries (occurred_at);
CREATE INDEX report_entries_tracking_number ON report_entries (tracking_number);
