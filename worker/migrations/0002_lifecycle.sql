-- Ticket lifecycle for agents: priority, assignee, optimistic-concurrency version, milestone
-- times, comments (public replies and internal notes), and the indexes the agent list uses.

ALTER TABLE tickets ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
    CHECK (priority IN ('low', 'normal', 'high', 'urgent'));
ALTER TABLE tickets ADD COLUMN assignee TEXT;
-- Bumped by every change; the ETag is derived from it, so If-Match catches lost updates.
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN first_response_at TEXT;
ALTER TABLE tickets ADD COLUMN solved_at TEXT;
ALTER TABLE tickets ADD COLUMN closed_at TEXT;

-- Newest first by id (ULIDs sort by creation), with and without a status filter.
CREATE INDEX tickets_org_id ON tickets (org_id, id);
CREATE INDEX tickets_org_status_id ON tickets (org_id, status, id);

CREATE TABLE ticket_comments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('agent', 'requester')),
    author_id TEXT,
    body TEXT NOT NULL,
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_comments_org_ticket ON ticket_comments (org_id, ticket_id, id);
