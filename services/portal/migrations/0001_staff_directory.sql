-- The staff directory: who may sign in to the staff pages, with which roles. The email is the
-- sign-in name and the staff identifier (`sub`) the portal puts in the tokens it mints.
CREATE TABLE staff_members (
    email            text PRIMARY KEY CHECK (email = lower(email)),
    full_name        text NOT NULL,
    roles            text[] NOT NULL,
    password_hash    text NOT NULL,           -- argon2id, with its parameters and salt
    disabled         boolean NOT NULL DEFAULT false,
    failed_attempts  integer NOT NULL DEFAULT 0,  -- consecutive failures since the last sign-in
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Signed-in sessions, server side: the cookie holds a random id, this table its sha256, so a
-- sign-out, a disabled account or a new password ends a session at once.
CREATE TABLE staff_sessions (
    id_hash       bytea PRIMARY KEY,
    email         text NOT NULL REFERENCES staff_members (email),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX staff_sessions_open ON staff_sessions (email) WHERE ended_at IS NULL;

-- Every sign-in, failure, lockout, sign-out and change to the directory: append-only.
CREATE TABLE staff_audit (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text NOT NULL,           -- who did it (the email, "cli:<user>", or "anonymous")
    action   text NOT NULL,
    subject  text,                    -- the account concerned (as typed, for a failed sign-in)
    client   text,                    -- the client address
    details  jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX staff_audit_by_time ON staff_audit (at DESC, id DESC);
CREATE FUNCTION staff_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'staff_audit is append-only';
END;
$$;
CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_audit
    FOR EACH ROW EXECUTE FUNCTION staff_audit_append_only();

-- Standard replies per kind of filing, which supervisors edit and reviewers start from.
CREATE TABLE standard_replies (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    title       text NOT NULL,
    body        text NOT NULL,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, title)
);
