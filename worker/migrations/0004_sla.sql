-- SLA engine: business calendars, ordered policies, per-ticket clocks with an indexed next
-- deadline for the cron sweep, ticket tags and groups (escalation targets), webhook endpoints
-- and their outbox. (0003 is the service catalog's.)

-- Per-ticket SLA state that all its clocks share: the applicable policy and the pauses so far
-- (JSON [{from, until|null}]), so any clock can be recomputed from the ticket's history.
ALTER TABLE tickets ADD COLUMN sla_policy_id TEXT;
ALTER TABLE tickets ADD COLUMN sla_pauses TEXT NOT NULL DEFAULT '[]';
-- The group a ticket is assigned to (an escalation can reassign it).
ALTER TABLE tickets ADD COLUMN group_name TEXT;
-- A fresh token per write: statements batched after a ticket update check for *their* token,
-- so a batch whose update lost a race writes nothing (a version number alone cannot tell two
-- writers that both expected the same version apart).
ALTER TABLE tickets ADD COLUMN change_id TEXT;

CREATE TABLE ticket_tags (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    tag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, ticket_id, tag)
) WITHOUT ROWID;

-- Weekly schedule + holidays in an IANA zone; `definition` is the checked JSON
-- ({name, time_zone, week: {mon: [{start, end}]}, holidays: [{date, yearly}]}).
CREATE TABLE sla_calendars (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sla_calendars_org ON sla_calendars (org_id, id);

-- Every organisation has a round-the-clock calendar; new organisations get theirs when they
-- are created (bootstrap, demo seed).
INSERT INTO sla_calendars (id, org_id, name, definition, is_default, created_at, updated_at)
SELECT id || '-24x7', id, '24/7',
    '{"name":"24/7","time_zone":"UTC","week":{"fri":[{"start":"00:00","end":"24:00"}],"mon":[{"start":"00:00","end":"24:00"}],"sat":[{"start":"00:00","end":"24:00"}],"sun":[{"start":"00:00","end":"24:00"}],"thu":[{"start":"00:00","end":"24:00"}],"tue":[{"start":"00:00","end":"24:00"}],"wed":[{"start":"00:00","end":"24:00"}]},"holidays":[]}',
    1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM orgs;

-- Ordered by position (then id); the first whose conditions match a ticket applies.
-- `definition` is the checked policy JSON (conditions, targets, warning, pauses, escalations).
CREATE TABLE sla_policies (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    calendar_id TEXT NOT NULL REFERENCES sla_calendars(id),
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sla_policies_org_position ON sla_policies (org_id, position, id);
CREATE INDEX sla_policies_org_calendar ON sla_policies (org_id, calendar_id);

-- One row per ticket and metric (a new next-response cycle replaces the last one; its
-- warnings and breaches stay in ticket_events). Instants are RFC 3339 UTC with milliseconds,
-- so text order is time order.
CREATE TABLE sla_clocks (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    metric TEXT NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
    policy_id TEXT,
    target_minutes INTEGER NOT NULL,
    business INTEGER NOT NULL CHECK (business IN (0, 1)),
    started_at TEXT NOT NULL,
    -- NULL while paused.
    due_at TEXT,
    warn_at TEXT,
    warned_at TEXT,
    -- The missed deadline; breach_detected_at is when the desk noticed.
    breached_at TEXT,
    breach_detected_at TEXT,
    fulfilled_at TEXT,
    -- Token of the sweep action that last acted on this clock: its other statements run only
    -- if this exact claim is in place, so two overlapping sweeps act once.
    claim TEXT,
    -- What the sweep must look at next: the warning not yet given, else the breach not yet
    -- recorded. Derived, so no write path can forget it (core's Clock::next_deadline mirrors it).
    next_deadline TEXT GENERATED ALWAYS AS (
        CASE
            WHEN fulfilled_at IS NOT NULL THEN NULL
            WHEN warned_at IS NULL AND warn_at IS NOT NULL THEN warn_at
            WHEN breached_at IS NULL THEN due_at
            ELSE NULL
        END
    ) STORED,
    PRIMARY KEY (org_id, ticket_id, metric)
);
-- The sweep crosses organisations on purpose (one cron for the deployment): it reads only the
-- due rows through this index, so its cost follows the due clocks, not the table.
CREATE INDEX sla_clocks_next_deadline ON sla_clocks (next_deadline)
    WHERE next_deadline IS NOT NULL;
-- Agent lists: "due within N minutes" / sort by deadline, and "breached".
CREATE INDEX sla_clocks_org_due ON sla_clocks (org_id, due_at) WHERE fulfilled_at IS NULL;
CREATE INDEX sla_clocks_org_breached ON sla_clocks (org_id, ticket_id)
    WHERE breached_at IS NOT NULL AND fulfilled_at IS NULL;

-- Where notifications go; the secret signs each delivery (HMAC-SHA256), so it is kept as is.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, id);

-- Deliveries queued in the same batch as the event they report, sent by the cron with retries.
-- next_attempt_at NULL: delivered or given up.
CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    delivered_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_outbox_org ON webhook_outbox (org_id, endpoint_id, id);

-- The desk's clock offset for black-box tests. Read only when the deployment sets
-- EDGEDESK_TEST_CLOCK=enabled (cargo xtask test does); never consulted otherwise.
CREATE TABLE test_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    offset_ms INTEGER NOT NULL
);
