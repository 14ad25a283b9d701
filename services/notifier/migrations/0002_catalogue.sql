-- The filing's details as submitted (parcel, commune…), for documents sent later (the
-- information note names the parcel), and when it was received.
ALTER TABLE recipients
    ADD COLUMN details      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN received_at  timestamptz;
