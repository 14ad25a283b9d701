-- Who to write to about a filing, learnt from submission.received (events may arrive out of order).
CREATE TABLE recipients (
    tracking_number  text PRIMARY KEY,
    full_name        text NOT NULL,
    email            text NOT NULL,
    language         text NOT NULL CHECK (language IN ('ar', 'fr')),
    kind             text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per email owed (docs/architecture.md#email-at-least-once): recorded as pending before sending, marked after.
-- The id is derived from (event_id, template, recipient) and gives the Message-ID.
CREATE TABLE deliveries (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL,
    template         text NOT NULL,
    recipient        text NOT NULL,
    tracking_number  text NOT NULL,
    kind             text,
    language         text NOT NULL CHECK (language IN ('ar', 'fr')),
    context          jsonb NOT NULL,  -- template variables, to resend the same content
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    message_id       text NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (event_id, template, recipient)
);
CREATE INDEX deliveries_newest ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_tracking_number ON deliveries (tracking_number);
CREATE INDEX deliveries_not_sent ON deliveries (status) WHERE status <> 'sent';
