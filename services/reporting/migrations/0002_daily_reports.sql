-- The daily reports to the Urban Planning Directorate, built once per agency day and frozen.

-- Which report first counted an entry (NULL: none yet). A build claims every unclaimed entry
-- up to the end of its day in its own transaction, then counts only claimed ones, so an entry
-- committed while the report is being built is never lost: the next report takes it.
-- ``late``: its own day already had a report when it was claimed (a correction).
ALTER TABLE report_entries
    ADD COLUMN reported_in  date,
    ADD COLUMN late         boolean NOT NULL DEFAULT false;
CREATE INDEX report_entries_unreported ON report_entries (occurred_at) WHERE reported_in IS NULL;
CREATE INDEX report_entries_reported_in ON report_entries (reported_in) WHERE late;

-- One row per built day: the UNIQUE day is what makes two builders build once.
CREATE TABLE daily_reports (
    day          date PRIMARY KEY,
    language     text NOT NULL CHECK (language IN ('ar', 'fr')),
    figures      jsonb NOT NULL,          -- the report as built (what every file shows)
    revision     integer NOT NULL DEFAULT 1,  -- grows with each forced rebuild
    built_at     timestamptz NOT NULL,
    built_by     text NOT NULL,           -- 'scheduler' or the staff member's subject
    sent_at      timestamptz,             -- last report.daily_published emitted
    times_sent   integer NOT NULL DEFAULT 0
);

-- Its files, kept here so the archive serves the very bytes that were sent.
CREATE TABLE daily_report_files (
    day           date NOT NULL REFERENCES daily_reports (day) ON DELETE CASCADE,
    format        text NOT NULL CHECK (format IN ('json', 'csv', 'xlsx', 'pdf')),
    filename      text NOT NULL,
    content_type  text NOT NULL,
    sha256        text NOT NULL,
    size          integer NOT NULL,
    content       bytea NOT NULL,
    PRIMARY KEY (day, format)
);

-- Append-only: who built, rebuilt (forced) or sent which day, and when.
CREATE TABLE daily_report_audit (
    id        bigserial PRIMARY KEY,
    day       date NOT NULL,
    action    text NOT NULL CHECK (action IN ('built', 'rebuilt', 'sent')),
    actor     text NOT NULL,
    forced    boolean NOT NULL DEFAULT false,
    revision  integer NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    details   jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX daily_report_audit_day ON daily_report_audit (day, id);
