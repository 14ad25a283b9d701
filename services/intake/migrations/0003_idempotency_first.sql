-- The Idempotency-Key row is written first in a filing's transaction (a concurrent request
-- with the same key then waits on it and answers as it did), before its submission exists.
ALTER TABLE idempotency_keys
    ALTER CONSTRAINT idempotency_keys_tracking_number_fkey DEFERRABLE INITIALLY DEFERRED;
