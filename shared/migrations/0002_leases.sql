-- Leases: which instance runs a periodic job (the deadline scan, the day-closing report) for the
-- coming period; shared/leader.py takes, renews and releases them.
CREATE TABLE leases (
    name        text PRIMARY KEY,
    holder      text NOT NULL,
    term        bigint NOT NULL,        -- +1 each time the lease is taken or renewed
    expires_at  timestamptz NOT NULL
);
