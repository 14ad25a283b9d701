CREATE TABLE submissions (
    tracking_number    text PRIMARY KEY,
    kind               text NOT NULL,
    status             text NOT NULL,
    review_version     integer NOT NULL DEFAULT 0,
    access_token_hash  bytea NOT NULL,
    applicant          jsonb NOT NULL,
    details            jsonb NOT NULL,
    decision           jsonb,
    decision_emailed   boolean NOT NULL DEFAULT false,
    correlation_id     text NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    id               bigserial PRIMARY KEY,
    tracking_number  text NOT NULL REFERENCES submissions,
    name             text NOT NULL,
    content_type     text NOT NULL,
    size             integer NOT NULL,
    sha256           text NOT NULL,
    added_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_by_filing ON documents (tracking_number);

-- What the applicant sees happen to the filing; event_id makes an event's entry unique.
CREATE TABLE timeline (
    id               bigserial PRIMARY KEY,
    tracking_number  text NOT NULL REFERENCES submissions,
    at               timestamptz NOT NULL,
    step             text NOT NULL,
    status           text,
    detail           jsonb NOT NULL DEFAULT '{}',
    event_id         uuid UNIQUE
);
CREATE INDEX timeline_by_filing ON timeline (tracking_number, at);

CREATE TABLE idempotency_keys (
    key_id           bytea PRIMARY KEY,
    fingerprint      bytea NOT NULL,
    tracking_number  text NOT NULL REFERENCES submissions,
    sealed_answer    bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
