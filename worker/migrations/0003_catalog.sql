-- Service catalog: categories (two levels), items, and their versioned request forms; tickets
-- keep the item and form version they were submitted with, and their answers.

CREATE TABLE catalog_categories (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    slug TEXT NOT NULL,
    parent_id TEXT REFERENCES catalog_categories(id),
    name TEXT NOT NULL,          -- JSON: {"en": "...", "he": "..."}
    description TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, slug)
);

CREATE TABLE catalog_items (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    category_id TEXT NOT NULL REFERENCES catalog_categories(id),
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
    UNIQUE (org_id, slug)
);
CREATE INDEX catalog_items_org_category ON catalog_items (org_id, category_id, position);

-- Every version of every form, kept forever: old tickets render with the form they used.
CREATE TABLE catalog_forms (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    item_id TEXT NOT NULL REFERENCES catalog_items(id),
    version INTEGER NOT NULL,
    schema TEXT NOT NULL,        -- JSON FormSchemaInput, as checked by core
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) WITHOUT ROWID;

ALTER TABLE tickets ADD COLUMN catalog_item_id TEXT REFERENCES catalog_items(id);
ALTER TABLE tickets ADD COLUMN form_version INTEGER;
ALTER TABLE tickets ADD COLUMN answers TEXT;
-- The item's slug as submitted (slugs never change; an item used by tickets is never deleted).
ALTER TABLE tickets ADD COLUMN catalog_item TEXT;
-- The item's category and its parent at submission (JSON list of slugs), for SLA conditions.
ALTER TABLE tickets ADD COLUMN catalog_categories TEXT NOT NULL DEFAULT '[]';

-- The organisation's impact × urgency matrix as JSON; NULL means ITIL's default.
ALTER TABLE orgs ADD COLUMN priority_matrix TEXT;
