-- The register of the documents the agency issued (docs/architecture.md#issued-documents):
-- each drawn once, sealed, kept by sha256 in the issued-documents store, and checked by
-- anyone who holds its verification code. No personal data but the holder's initials.
CREATE TABLE documents (
    code text PRIMARY KEY,                  -- shared/verification.py: 160 random bits, base32
    document text NOT NULL CHECK (document IN ('receipt', 'information_note', 'decision_letter', 'daily_report')),
    reference text NOT NULL,                -- the filing's tracking number, or the report's day
    kind text NOT NULL,                     -- the filing's kind (the policy's), or 'daily_report'
    language text NOT NULL,
    holder text,                            -- masked: the first letter of each word of the name
    sha256 text NOT NULL,
    filename text NOT NULL,
    size integer NOT NULL,
    issued_at timestamptz NOT NULL,
    signer text,                            -- the seal's subject; null: issued unsealed
    sealed_at timestamptz,
    timestamped boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'valid' CHECK (state IN ('valid', 'revoked')),
    revoked_reason text,
    revoked_at timestamptz,
    revoked_by text,
    replaces text REFERENCES documents (code),
    issued_for uuid,                        -- the event it was issued for: once per event and document
    UNIQUE (issued_for, document)
);
CREATE INDEX documents_reference ON documents (reference);
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE UNIQUE INDEX documents_replaced_once ON documents (replaces) WHERE replaces IS NOT NULL;
