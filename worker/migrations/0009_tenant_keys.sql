-- A schema that cannot mix tenants: every reference to a ticket, catalog item or category, SLA
-- calendar, agent group, API token or webhook endpoint is a composite foreign key
-- `(org_id, …)`, so a row can only point inside its own organisation, whatever a statement
-- gets wrong. Also: `ticket_events.actor_kind` is checked, and comments (public replies and
-- internal notes) are immutable like the audit trail.
--
-- Not keys, on purpose: `tickets.sla_policy_id` and `sla_clocks.policy_id` (a deleted policy's
-- tickets keep its id until their next change), `ticket_events.actor_id` and
-- `ticket_comments.author_id` (a token id, a requester's email or 'sla'), and the `scope` and
-- `subject` of idempotency keys and rate limits (prefixed text).
--
-- SQLite adds constraints only by rebuilding a table. D1 enforces foreign keys always, inside
-- one transaction per migration: `defer_foreign_keys` checks them once, at its commit. The
-- rebuild (1) keeps every rebuilt table's rows aside, (2) drops the old tables, children
-- before parents, and (3) creates each table under its own name, parents first, and puts its
-- rows back, rowids included (search rows stay linked through `search_rowid`). So no old
-- parent is dropped while rows point at it (its drop would count each of them as a violation
-- that nothing later resolves, and would look them up once per parent row through their old
-- `ticket_id`-only keys, which no index leads), and no RENAME rewrites other tables'
-- references. Search and append-only triggers are recreated after the rows are back, so
-- putting them back indexes nothing twice.

PRAGMA defer_foreign_keys = true;

-- Parents that keep their table: a unique (org_id, id) for composite keys to point at.
DROP INDEX api_tokens_org;
CREATE UNIQUE INDEX api_tokens_org_id ON api_tokens (org_id, id);
DROP INDEX sla_calendars_org;
CREATE UNIQUE INDEX sla_calendars_org ON sla_calendars (org_id, id);
DROP INDEX webhook_endpoints_org;
CREATE UNIQUE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, id);

-- (1) The rows of every table rebuilt, as they are.
CREATE TABLE catalog_categories_0009 AS SELECT rowid AS row_id, * FROM catalog_categories;
CREATE TABLE catalog_items_0009 AS SELECT rowid AS row_id, * FROM catalog_items;
CREATE TABLE catalog_forms_0009 AS SELECT * FROM catalog_forms;
CREATE TABLE tickets_0009 AS SELECT rowid AS row_id, * FROM tickets;
CREATE TABLE ticket_events_0009 AS SELECT rowid AS row_id, * FROM ticket_events;
CREATE TABLE ticket_comments_0009 AS SELECT rowid AS row_id, * FROM ticket_comments;
CREATE TABLE ticket_tags_0009 AS SELECT * FROM ticket_tags;
CREATE TABLE sla_clocks_0009 AS SELECT rowid AS row_id, * FROM sla_clocks;
CREATE TABLE sla_policies_0009 AS SELECT rowid AS row_id, * FROM sla_policies;
CREATE TABLE webhook_outbox_0009 AS SELECT rowid AS row_id, * FROM webhook_outbox;
CREATE TABLE agent_group_members_0009 AS SELECT * FROM agent_group_members;

-- (2) Children before parents. A ticket's and a category's old self-references are indexed
-- first: dropping a table looks up each row's referrers.
DROP TABLE agent_group_members;
DROP TABLE webhook_outbox;
DROP TABLE sla_policies;
DROP TABLE sla_clocks;
DROP TABLE ticket_tags;
DROP TABLE ticket_comments;
DROP TABLE ticket_events;
CREATE INDEX tickets_0009_follow_up_of ON tickets (follow_up_of);
DROP TABLE tickets;
DROP TABLE catalog_forms;
DROP TABLE catalog_items;
CREATE INDEX catalog_categories_0009_parent ON catalog_categories (parent_id);
DROP TABLE catalog_categories;

-- (3) Parents first. Categories and items declare PRIMARY KEY after UNIQUE (org_id, id):
-- SQLite reports the last declared of two broken unique keys, so a taken id still reads as
-- the key it is. (Tickets keep their index tickets_org_id, now unique, which list queries
-- walk by name.)

CREATE TABLE catalog_categories (
    id TEXT,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    slug TEXT NOT NULL,
    -- A top-level category of the same organisation.
    parent_id TEXT,
    name TEXT NOT NULL,          -- JSON: {"en": "...", "he": "..."}
    description TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, slug),
    UNIQUE (org_id, id),
    PRIMARY KEY (id),
    FOREIGN KEY (org_id, parent_id) REFERENCES catalog_categories (org_id, id)
);
CREATE INDEX catalog_categories_org_parent ON catalog_categories (org_id, parent_id);
INSERT INTO catalog_categories (rowid, id, org_id, slug, parent_id, name, description, position,
    active, created_at, updated_at)
SELECT row_id, id, org_id, slug, parent_id, name, description, position, active, created_at,
    updated_at
FROM catalog_categories_0009;

CREATE TABLE catalog_items (
    id TEXT,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    category_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '{}',
    icon TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    default_priority TEXT CHECK (default_priority IN ('low', 'normal', 'high', 'urgent')),
    default_group TEXT,
    form_version INTEGER NOT NULL,
    -- Names and descriptions in every locale, lower-cased without diacritics, for search.
    search_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The item's row in catalog_search (see 0008).
    search_rowid INTEGER,
    UNIQUE (org_id, slug),
    UNIQUE (org_id, id),
    PRIMARY KEY (id),
    FOREIGN KEY (org_id, category_id) REFERENCES catalog_categories (org_id, id),
    FOREIGN KEY (org_id, default_group) REFERENCES agent_groups (org_id, slug)
);
CREATE INDEX catalog_items_org_category ON catalog_items (org_id, category_id, position);
CREATE INDEX catalog_items_search_rowid ON catalog_items (search_rowid);
INSERT INTO catalog_items (rowid, id, org_id, category_id, slug, name, description, icon,
    position, active, default_priority, default_group, form_version, search_text, created_at,
    updated_at, search_rowid)
SELECT row_id, id, org_id, category_id, slug, name, description, icon, position, active,
    default_priority, default_group, form_version, search_text, created_at, updated_at,
    search_rowid
FROM catalog_items_0009;

-- Every version of every form, kept forever: old tickets render with the form they used.
CREATE TABLE catalog_forms (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    schema TEXT NOT NULL,        -- JSON FormSchemaInput, as checked by core
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (org_id, item_id) REFERENCES catalog_items (org_id, id)
) WITHOUT ROWID;
INSERT INTO catalog_forms (org_id, item_id, version, schema, created_at)
SELECT org_id, item_id, version, schema, created_at FROM catalog_forms_0009;

-- The group is an agent group's slug and the assignee an agent's API token id (agents are
-- their tokens), both of the ticket's organisation; so are its catalog item and the closed
-- ticket it follows up.
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
    priority TEXT NOT NULL DEFAULT 'normal'
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assignee TEXT,
    -- Bumped by every change; the ETag is derived from it, so If-Match catches lost updates.
    version INTEGER NOT NULL DEFAULT 1,
    first_response_at TEXT,
    solved_at TEXT,
    closed_at TEXT,
    catalog_item_id TEXT,
    form_version INTEGER,
    answers TEXT,
    -- The item's slug as submitted (slugs never change; an item used by tickets is never deleted).
    catalog_item TEXT,
    -- The item's category and its parent at submission (JSON list of slugs), for SLA conditions.
    catalog_categories TEXT NOT NULL DEFAULT '[]',
    sla_policy_id TEXT,
    sla_pauses TEXT NOT NULL DEFAULT '[]',
    group_name TEXT,
    -- A fresh token per write: statements batched after a ticket update check for *their*
    -- token, so a batch whose update lost a race writes nothing (see 0004).
    change_id TEXT,
    -- The ticket's row in ticket_search (see 0005).
    search_rowid INTEGER,
    -- A requester's reply to a closed ticket opens a new one that points back to it.
    follow_up_of TEXT,
    -- Priority as a number, so "urgent first" is an index walk.
    priority_rank INTEGER GENERATED ALWAYS AS (
        CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END
    ) VIRTUAL,
    origin TEXT,
    context TEXT,
    UNIQUE (org_id, number),
    FOREIGN KEY (org_id, assignee) REFERENCES api_tokens (org_id, id),
    FOREIGN KEY (org_id, catalog_item_id) REFERENCES catalog_items (org_id, id),
    FOREIGN KEY (org_id, group_name) REFERENCES agent_groups (org_id, slug),
    FOREIGN KEY (org_id, follow_up_of) REFERENCES tickets (org_id, id)
);
-- Unique: what keys of the ticket's children and follow-ups point at. Made before the rows
-- come back, since a follow-up's key is checked against it.
CREATE UNIQUE INDEX tickets_org_id ON tickets (org_id, id);
CREATE INDEX tickets_org_created ON tickets (org_id, created_at);
CREATE INDEX tickets_org_status_id ON tickets (org_id, status, id);
CREATE INDEX tickets_search_rowid ON tickets (search_rowid);
CREATE INDEX tickets_org_updated ON tickets (org_id, updated_at, id);
CREATE INDEX tickets_org_priority ON tickets (org_id, priority_rank, id);
CREATE INDEX tickets_org_assignee ON tickets (org_id, assignee, id);
CREATE INDEX tickets_org_group ON tickets (org_id, group_name, id);
CREATE INDEX tickets_org_requester ON tickets (org_id, requester_email, id);
CREATE INDEX tickets_org_item ON tickets (org_id, catalog_item_id, id);
INSERT INTO tickets (rowid, id, org_id, number, reference, status, subject, description,
    requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at,
    priority, assignee, version, first_response_at, solved_at, closed_at, catalog_item_id,
    form_version, answers, catalog_item, catalog_categories, sla_policy_id, sla_pauses,
    group_name, change_id, search_rowid, follow_up_of, origin, context)
SELECT row_id, id, org_id, number, reference, status, subject, description, requester_name,
    requester_email, channel, tracking_token_hash, created_at, updated_at, priority, assignee,
    version, first_response_at, solved_at, closed_at, catalog_item_id, form_version, answers,
    catalog_item, catalog_categories, sla_policy_id, sla_pauses, group_name, change_id,
    search_rowid, follow_up_of, origin, context
FROM tickets_0009;

-- The audit trail: who changed what, when, from and to. Rows are never changed or removed.
-- The actor is an agent (actor_id: their token id), the requester (their email) or the
-- system (the SLA sweep).
CREATE TABLE ticket_events (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent', 'requester', 'system')),
    actor_id TEXT,
    kind TEXT NOT NULL,
    field TEXT,
    from_value TEXT,
    to_value TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (org_id, ticket_id) REFERENCES tickets (org_id, id)
);
CREATE INDEX ticket_events_org_ticket ON ticket_events (org_id, ticket_id, created_at);
INSERT INTO ticket_events (rowid, id, org_id, ticket_id, actor_kind, actor_id, kind, field,
    from_value, to_value, created_at)
SELECT row_id, id, org_id, ticket_id, actor_kind, actor_id, kind, field, from_value, to_value,
    created_at
FROM ticket_events_0009;

-- Public replies and internal notes: written once, never changed or removed (what the
-- requester was told, and what agents knew, stays on the record).
CREATE TABLE ticket_comments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('agent', 'requester')),
    author_id TEXT,
    body TEXT NOT NULL,
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    created_at TEXT NOT NULL,
    FOREIGN KEY (org_id, ticket_id) REFERENCES tickets (org_id, id)
);
CREATE INDEX ticket_comments_org_ticket ON ticket_comments (org_id, ticket_id, id);
INSERT INTO ticket_comments (rowid, id, org_id, ticket_id, author_kind, author_id, body, public,
    created_at)
SELECT row_id, id, org_id, ticket_id, author_kind, author_id, body, public, created_at
FROM ticket_comments_0009;

CREATE TABLE ticket_tags (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, ticket_id, tag),
    FOREIGN KEY (org_id, ticket_id) REFERENCES tickets (org_id, id)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_org_tag ON ticket_tags (org_id, tag, ticket_id);
INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at)
SELECT org_id, ticket_id, tag, created_at FROM ticket_tags_0009;

-- One row per ticket and metric (see 0004). Instants are RFC 3339 UTC with milliseconds, so
-- text order is time order.
CREATE TABLE sla_clocks (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL,
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
    PRIMARY KEY (org_id, ticket_id, metric),
    FOREIGN KEY (org_id, ticket_id) REFERENCES tickets (org_id, id)
);
-- The sweep crosses organisations on purpose (one cron for the deployment): it reads only the
-- due rows through this index, so its cost follows the due clocks, not the table.
CREATE INDEX sla_clocks_next_deadline ON sla_clocks (next_deadline)
    WHERE next_deadline IS NOT NULL;
-- Agent lists: "due within N minutes" / sort by deadline, and "breached".
CREATE INDEX sla_clocks_org_due ON sla_clocks (org_id, due_at) WHERE fulfilled_at IS NULL;
CREATE INDEX sla_clocks_org_breached ON sla_clocks (org_id, ticket_id)
    WHERE breached_at IS NOT NULL AND fulfilled_at IS NULL;
INSERT INTO sla_clocks (rowid, org_id, ticket_id, metric, policy_id, target_minutes, business,
    started_at, due_at, warn_at, warned_at, breached_at, breach_detected_at, fulfilled_at, claim)
SELECT row_id, org_id, ticket_id, metric, policy_id, target_minutes, business, started_at,
    due_at, warn_at, warned_at, breached_at, breach_detected_at, fulfilled_at, claim
FROM sla_clocks_0009;

-- Ordered by position (then id); the first whose conditions match a ticket applies.
-- `definition` is the checked policy JSON (conditions, targets, warning, pauses, escalations).
CREATE TABLE sla_policies (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    calendar_id TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (org_id, calendar_id) REFERENCES sla_calendars (org_id, id)
);
CREATE INDEX sla_policies_org_position ON sla_policies (org_id, position, id);
CREATE INDEX sla_policies_org_calendar ON sla_policies (org_id, calendar_id);
INSERT INTO sla_policies (rowid, id, org_id, name, position, calendar_id, definition, created_at,
    updated_at)
SELECT row_id, id, org_id, name, position, calendar_id, definition, created_at, updated_at
FROM sla_policies_0009;

-- Deliveries queued in the same batch as the event they report, sent by the cron with retries.
-- next_attempt_at NULL: delivered or given up.
CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    endpoint_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    delivered_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (org_id, endpoint_id) REFERENCES webhook_endpoints (org_id, id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_outbox_org ON webhook_outbox (org_id, endpoint_id, id);
INSERT INTO webhook_outbox (rowid, id, org_id, endpoint_id, event_type, payload, attempts,
    next_attempt_at, delivered_at, last_error, created_at)
SELECT row_id, id, org_id, endpoint_id, event_type, payload, attempts, next_attempt_at,
    delivered_at, last_error, created_at
FROM webhook_outbox_0009;

-- Members are agents, and agents are their API tokens (agent or admin role) of the same
-- organisation. Tokens are revoked, never deleted; the local demo seed's INSERT OR REPLACE of
-- its admin token keeps the token's id, which SQLite checks once the statement is done.
CREATE TABLE agent_group_members (
    org_id TEXT NOT NULL,
    group_slug TEXT NOT NULL,
    token_id TEXT NOT NULL,
    PRIMARY KEY (org_id, group_slug, token_id),
    FOREIGN KEY (org_id, group_slug) REFERENCES agent_groups(org_id, slug),
    FOREIGN KEY (org_id, token_id) REFERENCES api_tokens (org_id, id)
) WITHOUT ROWID;
INSERT INTO agent_group_members (org_id, group_slug, token_id)
SELECT org_id, group_slug, token_id FROM agent_group_members_0009;

DROP TABLE catalog_categories_0009;
DROP TABLE catalog_items_0009;
DROP TABLE catalog_forms_0009;
DROP TABLE tickets_0009;
DROP TABLE ticket_events_0009;
DROP TABLE ticket_comments_0009;
DROP TABLE ticket_tags_0009;
DROP TABLE sla_clocks_0009;
DROP TABLE sla_policies_0009;
DROP TABLE webhook_outbox_0009;
DROP TABLE agent_group_members_0009;

-- Triggers, now that every row is back (putting rows back must not index them again).

-- Search (0005, 0008): one ticket_search row per ticket, one catalog_search row per item.
-- Replies are indexed up to 400,000 characters in all, as 0010 has it: a database that applied
-- 0010 before this one keeps that bound.
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets
BEGIN
    INSERT INTO ticket_search (subject, description, replies)
    VALUES (NEW.subject, NEW.description, '');
    UPDATE tickets SET search_rowid = last_insert_rowid() WHERE id = NEW.id;
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description ON tickets
BEGIN
    UPDATE ticket_search SET subject = NEW.subject, description = NEW.description
    WHERE rowid = NEW.search_rowid;
END;
CREATE TRIGGER comments_search_insert AFTER INSERT ON ticket_comments WHEN NEW.public = 1
BEGIN
    UPDATE ticket_search SET replies = substr(replies || ' ' || NEW.body, 1, 400000)
    WHERE rowid = (SELECT search_rowid FROM tickets WHERE org_id = NEW.org_id AND id = NEW.ticket_id);
END;
CREATE TRIGGER catalog_items_search_insert AFTER INSERT ON catalog_items
BEGIN
    INSERT INTO catalog_search (search_text) VALUES (NEW.search_text);
    UPDATE catalog_items SET search_rowid = last_insert_rowid() WHERE id = NEW.id;
END;
CREATE TRIGGER catalog_items_search_update AFTER UPDATE OF search_text ON catalog_items
BEGIN
    UPDATE catalog_search SET search_text = NEW.search_text WHERE rowid = NEW.search_rowid;
END;
CREATE TRIGGER catalog_items_search_delete AFTER DELETE ON catalog_items
BEGIN
    DELETE FROM catalog_search WHERE rowid = OLD.search_rowid;
END;

-- Append-only: the audit trail (0001) and now comments.
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
CREATE TRIGGER ticket_comments_no_update BEFORE UPDATE ON ticket_comments
BEGIN
    SELECT RAISE(ABORT, 'ticket_comments is append-only');
END;
CREATE TRIGGER ticket_comments_no_delete BEFORE DELETE ON ticket_comments
BEGIN
    SELECT RAISE(ABORT, 'ticket_comments is append-only');
END;
