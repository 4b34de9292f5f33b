-- Agent groups (teams) with members. Tickets (`group_name`), catalog items (`default_group`)
-- and SLA escalations name a group by its slug; until now those were free-form names, so every
-- name already in use becomes a group of that slug and name (members can be added later).
-- ("groups" is an SQL keyword: the tables are agent_groups and agent_group_members.)

CREATE TABLE agent_groups (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, slug)
) WITHOUT ROWID;

-- Members are agents, and agents are their API tokens (agent or admin role).
CREATE TABLE agent_group_members (
    org_id TEXT NOT NULL,
    group_slug TEXT NOT NULL,
    -- No foreign key: token rows are never deleted (revoked instead), and the local demo seed
    -- re-registers its admin token with INSERT OR REPLACE.
    token_id TEXT NOT NULL,
    PRIMARY KEY (org_id, group_slug, token_id),
    FOREIGN KEY (org_id, group_slug) REFERENCES agent_groups(org_id, slug)
) WITHOUT ROWID;

INSERT OR IGNORE INTO agent_groups (org_id, slug, name, created_at, updated_at)
SELECT DISTINCT org_id, group_name, group_name, strftime('%Y-%m-%dT%H:%M:%fZ'),
       strftime('%Y-%m-%dT%H:%M:%fZ')
FROM tickets WHERE group_name IS NOT NULL;

INSERT OR IGNORE INTO agent_groups (org_id, slug, name, created_at, updated_at)
SELECT DISTINCT org_id, default_group, default_group, strftime('%Y-%m-%dT%H:%M:%fZ'),
       strftime('%Y-%m-%dT%H:%M:%fZ')
FROM catalog_items WHERE default_group IS NOT NULL;

INSERT OR IGNORE INTO agent_groups (org_id, slug, name, created_at, updated_at)
SELECT DISTINCT p.org_id, j.value, j.value, strftime('%Y-%m-%dT%H:%M:%fZ'),
       strftime('%Y-%m-%dT%H:%M:%fZ')
FROM sla_policies p, json_tree(p.definition) j
WHERE j.key = 'group' AND j.type = 'text';
