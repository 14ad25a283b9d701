-- What operators did to parked messages (replay, drop), from reporting's operations API: one row
-- per message, append-only. Numbered 0003: 0002 is the daily reports' archive.
CREATE TABLE ops_actions (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL CHECK (action IN ('replay', 'drop')),
    queue       text NOT NULL,
    message_id  text NOT NULL,
    event_type  text NOT NULL,
    subject     text NOT NULL
);
CREATE INDEX ops_actions_by_time ON ops_actions (at DESC, id DESC);

CREATE FUNCTION ops_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ops_actions is append-only';
END;
$$;
CREATE TRIGGER ops_actions_append_only
    BEFORE UPDATE OR DELETE ON ops_actions
    FOR EACH ROW EXECUTE FUNCTION ops_actions_append_only();
