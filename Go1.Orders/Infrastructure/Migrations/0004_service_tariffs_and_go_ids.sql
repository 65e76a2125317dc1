-- What each service charges (minor units of currency): the server prices every order from its tariff and route,
-- so a client never decides its own amount. go_id is the numeric id the Go system's clients send as service_id.
ALTER TABLE services
    ADD COLUMN base_fare      bigint  NOT NULL DEFAULT 0 CHECK (base_fare >= 0),
    ADD COLUMN per_km_fare    bigint  NOT NULL DEFAULT 0 CHECK (per_km_fare >= 0),
    ADD COLUMN currency       text    NOT NULL DEFAULT 'VND',
    ADD COLUMN go_id          integer NULL UNIQUE;

UPDATE services SET base_fare = t.base_fare, per_km_fare = t.per_km_fare, go_id = t.go_id
FROM (VALUES
    ('taxi',          12000, 16000, 1),
    ('hourly',       180000,  5000, 2),
    ('route',         30000, 10000, 3),
    ('trip',         150000, 12000, 4),
    ('share',          8000,  9000, 5),
    ('shuttle',      120000,  8000, 6),
    ('taxi-premium',  20000, 22000, 7),
    ('taxi-legacy',   12000, 16000, 8)
) AS t (id, base_fare, per_km_fare, go_id)
WHERE services.id = t.id;
