-- Drafts: a filing saved to finish later (save and resume), with its documents. The resume
-- token is stored hashed, like access tokens. Expired drafts are purged with their documents.
CREATE TABLE drafts (
    id                     uuid PRIMARY KEY,
    token_hash             bytea NOT NULL,
    kind                   text NOT NULL,
    language               text NOT NULL,
    email                  text NOT NULL,
    data                   jsonb NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    expires_at             timestamptz NOT NULL,
    filed_tracking_number  text REFERENCES submissions
);
CREATE INDEX drafts_by_expiry ON drafts (expires_at);

CREATE TABLE draft_documents (
    id            bigserial PRIMARY KEY,
    draft_id      uuid NOT NULL REFERENCES drafts ON DELETE CASCADE,
    type          text,          -- a document type code; NULL for an extra
    name          text NOT NULL,
    content_type  text NOT NULL,
    size          integer NOT NULL,
    sha256        text NOT NULL,
    added_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX draft_documents_by_draft ON draft_documents (draft_id);
CREATE INDEX draft_documents_by_sha ON draft_documents (sha256);
CREATE INDEX documents_by_sha ON documents (sha256);
