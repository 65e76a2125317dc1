-- Service catalogue: which ride products exist and how they behave.
CREATE TABLE services (
    id                            text PRIMARY KEY,
    type                          text NOT NULL,
    name                          text NOT NULL,
    pricing_mode                  text NOT NULL,
    auto_cancel_interval_seconds  integer NOT NULL CHECK (auto_cancel_interval_seconds > 0),
    driver_lock_time_seconds      integer NOT NULL CHECK (driver_lock_time_seconds >= 0),
    addons                        jsonb NOT NULL DEFAULT '[]'::jsonb,
    enabled                       boolean NOT NULL DEFAULT true
);

-- The ride order aggregate. Nested value objects are JSONB; version grows on every update
-- so the CDC cache can refuse stale snapshots.
CREATE TABLE orders (
    id              uuid PRIMARY KEY,
    created_by      text NOT NULL,
    creator_role    text NOT NULL,
    status          text NOT NULL,
    sub_status      text NULL,
    service         jsonb NOT NULL,
    payment         jsonb NOT NULL,
    customer        jsonb NULL,
    driver          jsonb NULL,
    points          jsonb NOT NULL,
    promotion_code  text NULL,
    fee_id          text NULL,
    has_insurance   boolean NOT NULL DEFAULT false,
    order_time      timestamptz NOT NULL,
    completed_time  timestamptz NULL,
    cancel_time     timestamptz NULL,
    platform        text NULL,
    partner_id      text NULL,
    is_schedule     boolean NOT NULL DEFAULT false,
    now_order       boolean NOT NULL DEFAULT true,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    workflow_id     text NULL,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Logical decoding then carries whole old rows on update/delete.
ALTER TABLE orders REPLICA IDENTITY FULL;

CREATE FUNCTION orders_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER orders_bump_version
    BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_bump_version();

-- Transactional outbox: written in the same transaction as the order, published by the relay.
-- event_id is a UUIDv7: unique and time-ordered, so it is both the key and the publish order.
CREATE TABLE outbox (
    event_id      uuid PRIMARY KEY,
    aggregate_id  uuid NOT NULL,
    event_type    text NOT NULL,
    topic         text NOT NULL,
    payload       jsonb NOT NULL,
    traceparent   text NULL,
    tracestate    text NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz NULL,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text NULL
);

CREATE INDEX outbox_unpublished ON outbox (event_id) WHERE published_at IS NULL;

-- Idempotency-Key replay: one order per (caller, key); the request hash catches key reuse with another body.
CREATE TABLE idempotency_keys (
    caller_id     text NOT NULL,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    -- Deferred: the key is claimed first in the same transaction that then inserts the order.
    order_id      uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller_id, key)
);
