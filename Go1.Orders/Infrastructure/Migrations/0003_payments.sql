-- Money held for prepaid orders: authorized before a driver is sought, captured when the ride completes,
-- voided (or refunded) when it does not. One payment per order.
CREATE TABLE payments (
    order_id            uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    method              text NOT NULL,
    amount              bigint NOT NULL CHECK (amount >= 0),
    currency            text NOT NULL,
    status              text NOT NULL CHECK (status IN ('AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED')),
    provider_reference  text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
