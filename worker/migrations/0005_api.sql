-- The agent/integration API, hardened: idempotent creates, rate limits, full-text search over
-- tickets, indexes for every list filter and sort, and follow-ups of closed tickets.

-- A create's key and what it answered, so a retry gets the same answer instead of a second row.
-- Only hashes of the key and of the request are kept; a secret in the answer (tracking token,
-- API token) is stored sealed with the key, which the client holds and the database does not.
CREATE TABLE idempotency_keys (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    -- Whose key it is: 'token:<api token id>', 'requester:<email>' or 'ticket:<ticket id>'.
    scope TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    -- SHA-256 of method, path and canonical JSON body: the same key with another request is 422.
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    -- The answer's JSON without its secret; NULL until stored (the worker stopped in between:
    -- then the resource is read again).
    body TEXT,
    -- Response headers worth replaying (Location, ETag), as a JSON object.
    headers TEXT NOT NULL DEFAULT '{}',
    -- The answer's secret field, sealed with the key (base64).
    sealed TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (org_id, scope, key_hash)
) WITHOUT ROWID;
-- The cron removes expired keys; lookups ignore them until then.
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Fixed-window request counters: one row per caller, reset when a new window starts.
CREATE TABLE rate_limits (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    -- 'token:<api token id>' or 'ip:<client address>'.
    subject TEXT NOT NULL,
    -- Unix seconds of the window's start.
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (org_id, subject)
) WITHOUT ROWID;
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- Full-text search (FTS5) over a ticket's subject, description and public replies. Internal
-- notes are never indexed. One row per ticket, kept by triggers in the same transaction as
-- every write; `search_rowid` links the ticket to its row (FTS5 rowids are stable, a rowid
-- table's implicit rowid is not).
CREATE VIRTUAL TABLE ticket_search USING fts5(
    subject, description, replies,
    tokenize = 'unicode61 remove_diacritics 2'
);
ALTER TABLE tickets ADD COLUMN search_rowid INTEGER;
CREATE INDEX tickets_search_rowid ON tickets (search_rowid);

-- Existing tickets: their search rows take their current rowids once; the link is search_rowid.
UPDATE tickets SET search_rowid = rowid;
INSERT INTO ticket_search (rowid, subject, description, replies)
SELECT t.search_rowid, t.subject, t.description,
    COALESCE((SELECT group_concat(c.body, ' ') FROM ticket_comments c
              WHERE c.org_id = t.org_id AND c.ticket_id = t.id AND c.public = 1), '')
FROM tickets t;

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
    UPDATE ticket_search SET replies = replies || ' ' || NEW.body
    WHERE rowid = (SELECT search_rowid FROM tickets WHERE org_id = NEW.org_id AND id = NEW.ticket_id);
END;

-- A requester's reply to a closed ticket opens a new one that points back to it.
ALTER TABLE tickets ADD COLUMN follow_up_of TEXT REFERENCES tickets(id);

-- Priority as a number, so "urgent first" is an index walk (text order would be alphabetical).
ALTER TABLE tickets ADD COLUMN priority_rank INTEGER GENERATED ALWAYS AS (
    CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END
) VIRTUAL;

-- List sorts (created is id order: ULIDs sort by creation) and filters, each led by org_id and
-- ending in id, so a filtered page is one index range walk and the cursor continues it.
CREATE INDEX tickets_org_updated ON tickets (org_id, updated_at, id);
CREATE INDEX tickets_org_priority ON tickets (org_id, priority_rank, id);
CREATE INDEX tickets_org_assignee ON tickets (org_id, assignee, id);
CREATE INDEX tickets_org_group ON tickets (org_id, group_name, id);
CREATE INDEX tickets_org_requester ON tickets (org_id, requester_email, id);
CREATE INDEX tickets_org_item ON tickets (org_id, catalog_item_id, id);
CREATE INDEX ticket_tags_org_tag ON ticket_tags (org_id, tag, ticket_id);
CREATE INDEX catalog_categories_org_parent ON catalog_categories (org_id, parent_id);
