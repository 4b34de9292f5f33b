-- The local demo organisation (idempotent). Never applied outside local development.
INSERT OR IGNORE INTO orgs (id, slug, name, ref_prefix, default_locale, time_zone, created_at)
VALUES ('01JD0000000000000000000000', 'demo', 'Demo Organisation', 'DEMO', 'en', 'Europe/Warsaw',
        '2026-01-01T00:00:00.000Z');
