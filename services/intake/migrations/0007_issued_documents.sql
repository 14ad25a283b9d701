-- The documents the notifier issued for a filing (document.issued): what the tracking page lists
-- and serves. Their bytes are in the issued-documents store, by sha256; their register (state,
-- seal) stays the notifier's.
CREATE TABLE issued_documents (
    code            text PRIMARY KEY,
    tracking_number text NOT NULL REFERENCES submissions (tracking_number),
    document        text NOT NULL,
    language        text NOT NULL,
    sha256          text NOT NULL,
    filename        text NOT NULL,
    issued_at       timestamptz NOT NULL,
    replaces        text
);
CREATE INDEX issued_documents_filing ON issued_documents (tracking_number, issued_at);
