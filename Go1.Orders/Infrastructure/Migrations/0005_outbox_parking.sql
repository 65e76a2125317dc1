-- A message Kafka refuses for good (too large, a topic it may not write) is parked after a few refusals instead of
-- heading every claim forever; a broker outage never counts as a refusal. Parked rows wait for outbox_redrive().
ALTER TABLE outbox
    ADD COLUMN rejections integer NOT NULL DEFAULT 0,
    ADD COLUMN parked_at  timestamptz NULL;

DROP INDEX outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (event_id) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_parked ON outbox (event_id) WHERE parked_at IS NOT NULL;

-- Puts parked messages (all of them, or those listed) back in line and wakes the relays; returns how many.
CREATE FUNCTION outbox_redrive(event_ids uuid[] DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    redriven integer;
BEGIN
    UPDATE outbox SET parked_at = NULL, rejections = 0
    WHERE parked_at IS NOT NULL AND (event_ids IS NULL OR event_id = ANY (event_ids));
    GET DIAGNOSTICS redriven = ROW_COUNT;
    PERFORM pg_notify('outbox', '');
    RETURN redriven;
END
$$;

-- Retention sweeps delete idempotency keys by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
