-- The local demo organisation (idempotent). Never applied outside local development.
INSERT OR IGNORE INTO orgs (id, slug, name, ref_prefix, default_locale, time_zone, created_at)
VALUES ('01JD0000000000000000000000', 'demo', 'Demo Organisation', 'DEMO', 'en', 'Europe/Warsaw',
        '2026-01-01T00:00:00.000Z');
-- Its round-the-clock business calendar (every organisation has one; see migration 0004).
INSERT OR IGNORE INTO sla_calendars (id, org_id, name, definition, is_default, created_at, updated_at)
SELECT id || '-24x7', id, '24/7',
    '{"name":"24/7","time_zone":"UTC","week":{"fri":[{"start":"00:00","end":"24:00"}],"mon":[{"start":"00:00","end":"24:00"}],"sat":[{"start":"00:00","end":"24:00"}],"sun":[{"start":"00:00","end":"24:00"}],"thu":[{"start":"00:00","end":"24:00"}],"tue":[{"start":"00:00","end":"24:00"}],"wed":[{"start":"00:00","end":"24:00"}]},"holidays":[]}',
    1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM orgs WHERE slug = 'demo';
-- Its agent groups (teams); the demo admin token joins the service desk (xtask/src/local.rs).
INSERT OR IGNORE INTO agent_groups (org_id, slug, name, description, created_at, updated_at)
SELECT id, 'service-desk', 'Service desk', 'First line: every new request lands here.',
    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM orgs WHERE slug = 'demo';
INSERT OR IGNORE INTO agent_groups (org_id, slug, name, description, created_at, updated_at)
SELECT id, 'tier-2', 'Second line', 'Specialists; SLA escalations hand tickets over here.',
    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM orgs WHERE slug = 'demo';
