-- A delivery is marked sent in its own short transaction as soon as the mail server accepts
-- it (so a later failure of the consumer's transaction never sends it again); whether
-- notification.sent has been emitted for it is then recorded separately, with that event.
ALTER TABLE deliveries ADD COLUMN announced boolean NOT NULL DEFAULT false;
UPDATE deliveries SET announced = true WHERE status = 'sent';
