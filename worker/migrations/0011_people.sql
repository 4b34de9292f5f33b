-- People: agents and admins are people who sign in (passkeys, one-time links) and hold API
-- tokens, instead of being their tokens.
--
-- Until now an agent was an API token: group members, ticket assignees and audit actors hold a
-- token id. Every token becomes a person with the token's id, so all of those keep pointing at
-- the same actor and nothing is rewritten; the token itself lives on, now belonging to its
-- person. Done by renaming: `api_tokens` becomes `people` (SQLite rewrites the keys that point
-- at it, so tickets' assignees and group members now point at people) and a new `api_tokens`
-- takes the tokens' own columns. A rebuild is not possible: a table that rows point at cannot
-- be dropped and made again in a migration (see 0009).

PRAGMA defer_foreign_keys = true;

ALTER TABLE api_tokens RENAME TO people;
DROP INDEX api_tokens_org_id;
CREATE UNIQUE INDEX people_org_id ON people (org_id, id);

-- A person's token acts as that person, with at most their role, and stops with them. A token
-- without a person is a named integration's, acting with its own role.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    -- Only the SHA-256 of the token is stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE UNIQUE INDEX api_tokens_org_id ON api_tokens (org_id, id);
CREATE INDEX api_tokens_person ON api_tokens (org_id, person_id);
INSERT INTO api_tokens (id, org_id, person_id, name, role, token_hash, created_at, last_used_at,
    revoked_at)
SELECT id, org_id, id, name, role, token_hash, created_at, last_used_at, revoked_at FROM people;

-- The person's own columns. A revoked token's person is deactivated from that moment (they
-- could not act any more); their tickets stay assigned to them. SQLite cannot drop the old
-- `token_hash` (UNIQUE) without rebuilding the table: it is kept as `retired_key`, holding
-- `person:<id>`, and nothing reads it.
ALTER TABLE people RENAME COLUMN revoked_at TO deactivated_at;
ALTER TABLE people RENAME COLUMN token_hash TO retired_key;
UPDATE people SET retired_key = 'person:' || id;
ALTER TABLE people DROP COLUMN last_used_at;
-- Unique per organisation through `email_key` (the address in lower case). People made from
-- tokens get an address in the reserved `.invalid` domain until an admin sets theirs.
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE people SET email = lower(id) || '@people.invalid', email_key = lower(id) || '@people.invalid';
CREATE UNIQUE INDEX people_org_email ON people (org_id, email_key);
-- A locale of the portal's five, an IANA time zone, the languages they answer in (JSON list
-- of locale codes) and the most open tickets they should hold.
ALTER TABLE people ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE people ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE people ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN capacity INTEGER NOT NULL DEFAULT 20 CHECK (capacity >= 0);
ALTER TABLE people ADD COLUMN away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1));
ALTER TABLE people ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE people SET updated_at = created_at,
    locale = (SELECT default_locale FROM orgs WHERE orgs.id = people.org_id),
    time_zone = (SELECT time_zone FROM orgs WHERE orgs.id = people.org_id);

-- Group members are people (the key already points at `people` after the rename).
ALTER TABLE agent_group_members RENAME COLUMN token_id TO person_id;

-- Signed-in browsers. The cookie holds a random secret; only its SHA-256 is kept. A session
-- ends at `expires_at` (7 days after sign-in), after 12 hours without use (`seen_at`, written
-- at most every 10 minutes so reads stay reads), when ended, or when its person is deactivated.
CREATE TABLE person_sessions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL CHECK (method IN ('link', 'passkey', 'invitation')),
    user_agent TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX person_sessions_person ON person_sessions (org_id, person_id, id);

-- One-time sign-in links an admin makes for a person (15 minutes, single use, hashed).
CREATE TABLE sign_in_links (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    -- The session its use opened, so the batch that opens it finds exactly its own use.
    session_id TEXT,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX sign_in_links_person ON sign_in_links (org_id, person_id);

-- Invitations: a single-use link (72 hours, hashed) with which a new person registers a
-- passkey; the person exists from then on.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    secret_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    person_id TEXT,
    revoked_at TEXT,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX invitations_org ON invitations (org_id, id);

-- Passkeys (WebAuthn credentials): the public key as the authenticator sent it (COSE_Key,
-- base64url) and the signature counter, to notice a cloned authenticator.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    algorithm INTEGER NOT NULL,
    sign_count INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX passkeys_person ON passkeys (org_id, person_id);

-- WebAuthn challenges: single use (deleted as they are used) and short-lived. `subject` is
-- the invitation (registering with one), the person (adding a passkey) or empty (signing in
-- with a discoverable passkey).
CREATE TABLE webauthn_challenges (
    challenge_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'add', 'sign_in')),
    subject TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);
