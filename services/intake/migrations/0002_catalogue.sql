-- Issue 3: typed documents, pre-study history, contests, published committee opinions.

ALTER TABLE documents ADD COLUMN type text;  -- a document type code of the catalogue; NULL for an extra

ALTER TABLE submissions ADD COLUMN previous_tracking_number text REFERENCES submissions;
-- The applicant's contest of a rejected committee decision: {motive, at, superseded_decision}.
ALTER TABLE submissions ADD COLUMN contest jsonb;

-- Published committee opinions, public: nothing here names an applicant or a member.
CREATE TABLE opinions (
    id               bigserial PRIMARY KEY,
    event_id         uuid NOT NULL UNIQUE,
    tracking_number  text NOT NULL REFERENCES submissions,
    kind             text NOT NULL,
    commune          text,
    project          text,
    opinion          text NOT NULL,
    motive           text NOT NULL,
    session_date     date,
    published_at     timestamptz NOT NULL
);
CREATE INDEX opinions_newest_first ON opinions (published_at DESC, id DESC);
