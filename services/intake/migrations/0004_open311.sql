-- Issue 13: Open311 GeoReport v2 clients and the public list of complaints.

-- One key per client application (FixMyStreet, a city app…), stored hashed like access tokens.
-- A revoked key keeps its row (who had access, and until when); adding the name again issues a new key.
CREATE TABLE open311_keys (
    name        text PRIMARY KEY,
    key_hash    bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Open311 GET requests and the public list read complaints newest first, by date range.
CREATE INDEX submissions_complaints_newest_first ON submissions (received_at DESC, tracking_number)
    WHERE kind = 'complaint';
