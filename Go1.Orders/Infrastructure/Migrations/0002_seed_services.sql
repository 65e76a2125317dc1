-- The ride products Go1 ships with. Operators change rows here; code never hard-codes them.
INSERT INTO services (id, type, name, pricing_mode, auto_cancel_interval_seconds, driver_lock_time_seconds, addons, enabled) VALUES
    ('taxi',         'RIDE-TAXI',    'Taxi',           'METERED', 300,  60, '[]',                  true),
    ('taxi-premium', 'RIDE-TAXI',    'Premium taxi',   'FIXED',   300,  60, '["child_seat","pet"]', true),
    ('hourly',       'RIDE-HOUR',    'Hourly hire',    'HOURLY',  600, 120, '[]',                  true),
    ('route',        'RIDE-ROUTE',   'Fixed route',    'FIXED',   300,  60, '[]',                  true),
    ('trip',         'RIDE-TRIP',    'Intercity trip', 'FIXED',   900, 300, '["luggage"]',          true),
    ('share',        'RIDE-SHARE',   'Shared ride',    'FIXED',   180,  30, '[]',                  true),
    ('shuttle',      'RIDE-SHUTTLE', 'Airport shuttle','FIXED',   600, 120, '["luggage"]',          true),
    ('taxi-legacy',  'RIDE-TAXI',    'Legacy taxi',    'METERED', 300,  60, '[]',                  false)
ON CONFLICT (id) DO NOTHING;
