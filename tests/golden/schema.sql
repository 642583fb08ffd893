CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,              -- contiguous from 1
    ts          INTEGER NOT NULL,                 -- unix milliseconds, non-decreasing
    user_id     INTEGER,                          -- acting user; NULL = system
    action      TEXT NOT NULL,                    -- e.g. 'user.add', 'person.view_identity'
    record_type TEXT NOT NULL DEFAULT '',         -- e.g. 'user', 'case'
    record_code TEXT NOT NULL DEFAULT '',         -- code or id of the record, never an identity
    detail      TEXT NOT NULL DEFAULT '',         -- non-identifying detail (field names, reason codes)
    prev_hash   BLOB NOT NULL,                    -- hash of row id-1 (32 zero bytes for row 1)
    hash        BLOB NOT NULL                     -- keyed BLAKE2b over prev_hash and this row
) STRICT;
CREATE INDEX audit_record ON audit(record_type, record_code);
CREATE INDEX audit_user ON audit(user_id, id);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,  -- setting name, e.g. 'workspace_id', 'key_check'
    value BLOB NOT NULL      -- its value; 'key_check' is a vault ciphertext
) STRICT;
CREATE TABLE org (
    id         INTEGER PRIMARY KEY,               -- row id
    code       TEXT NOT NULL UNIQUE,              -- public code, e.g. 'O-7KQ4-M2XD'
    name       TEXT NOT NULL,                     -- organisation name (not personal data)
    kind       TEXT NOT NULL DEFAULT 'ngo',       -- ngo, hotline, shelter, police, ...
    country    TEXT NOT NULL DEFAULT '',          -- ISO 3166-1 alpha-2
    is_active  INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)), -- 0 = retired
    created_at INTEGER NOT NULL                   -- unix seconds
) STRICT;
CREATE TABLE session (
    token_hash BLOB PRIMARY KEY,                  -- BLAKE2b-256 of the cookie token
    user_id    INTEGER NOT NULL REFERENCES user(id),
    csrf       TEXT NOT NULL,                     -- per-session CSRF token (hex)
    created_at INTEGER NOT NULL,                  -- unix seconds; 12 h absolute limit
    seen_at    INTEGER NOT NULL                   -- unix seconds; 30 min idle limit
) STRICT, WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);
CREATE TABLE user (
    id            INTEGER PRIMARY KEY,            -- row id
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE, -- sign-in name
    org_id        INTEGER NOT NULL REFERENCES org(id), -- employing organisation
    role          TEXT NOT NULL,                  -- one of the policy table's roles
    pw_hash       TEXT NOT NULL,                  -- crypto_pwhash_str (Argon2id)
    is_disabled   INTEGER NOT NULL DEFAULT 0 CHECK (is_disabled IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,     -- consecutive failures
    locked_until  INTEGER NOT NULL DEFAULT 0,     -- unix seconds; 0 = not locked
    lang          TEXT NOT NULL DEFAULT 'en',     -- ISO 639-1 interface language
    created_at    INTEGER NOT NULL,               -- unix seconds
    last_login_at INTEGER NOT NULL DEFAULT 0      -- unix seconds; 0 = never
) STRICT;
