-- EdgeDesk schema v1: organisations, counters, tickets, the append-only audit trail, API tokens.
-- TEXT ids (ULIDs, sortable); org_id leads every index so each query stays inside one tenant.

CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    ref_prefix TEXT NOT NULL,
    default_locale TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    created_at TEXT NOT NULL
);

-- Maintained counters (ticket numbers, per-status counts): never COUNT(*) over tickets.
CREATE TABLE org_counters (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (org_id, name)
) WITHOUT ROWID;

CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    number INTEGER NOT NULL,
    reference TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    requester_email TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('portal', 'widget', 'api')),
    tracking_token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX tickets_org_created ON tickets (org_id, created_at);

-- The audit trail: who changed what, when, from and to. Rows are never changed or removed.
CREATE TABLE ticket_events (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    kind TEXT NOT NULL,
    field TEXT,
    from_value TEXT,
    to_value TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_events_org_ticket ON ticket_events (org_id, ticket_id, created_at);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;

-- API tokens for agents and admins: only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);
