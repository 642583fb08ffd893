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
CREATE TABLE contact (
    id                INTEGER PRIMARY KEY,           -- row id
    code              TEXT NOT NULL UNIQUE,          -- public code, e.g. 'C-7KQ4-M2XD'
    org_id            INTEGER NOT NULL REFERENCES org(id), -- organisation that took it
    operator_id       INTEGER REFERENCES user(id),   -- operator who logged it; NULL = imported
    received_at       INTEGER NOT NULL,              -- unix seconds (UTC)
    channel           TEXT NOT NULL,                 -- phone, sms, line, viber, ... (contact.c vocabulary)
    language          TEXT NOT NULL,                 -- ISO 639-1/639-3 code of the language used
    caller_type       TEXT NOT NULL,                 -- self, family, friend, ... anonymous
    caller_phone      BLOB,                          -- vault ciphertext of the phone number
    caller_phone_idx  BLOB,                          -- blind index (domain 'phone') for exact search
    caller_country    TEXT NOT NULL DEFAULT '',      -- ISO 3166-1 alpha-2 where the caller is
    caller_province   TEXT NOT NULL DEFAULT '',      -- ISO 3166-2 from the gazetteer, or ''
    caller_place      BLOB,                          -- vault ciphertext: free-text place
    problem_country   TEXT NOT NULL DEFAULT '',      -- ISO 3166-1 alpha-2 where the problem is
    problem_province  TEXT NOT NULL DEFAULT '',      -- ISO 3166-2, or ''
    problem_place     BLOB,                          -- vault ciphertext: free-text place
    category          TEXT NOT NULL,                 -- labour_rights, trafficking, ...
    issues            INTEGER NOT NULL DEFAULT 0,    -- bit set of contact.c's issue list
    sector            TEXT NOT NULL DEFAULT '',      -- fishing, construction, ... or ''
    n_affected        INTEGER NOT NULL DEFAULT 1 CHECK (n_affected BETWEEN 0 AND 100000),
    is_danger         INTEGER NOT NULL DEFAULT 0 CHECK (is_danger IN (0, 1)), -- imminent danger
    summary           BLOB,                          -- vault ciphertext: what was said
    needs             BLOB,                          -- vault ciphertext: what the caller needs
    action_taken      BLOB,                          -- vault ciphertext: what the operator did
    duration_s        INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0), -- seconds
    consent           INTEGER NOT NULL DEFAULT 0,    -- bit set: 1 share with NGOs, 2 with police, 4 research use
    import_key        BLOB UNIQUE,                   -- hash of an imported row; NULL when logged here
    created_at        INTEGER NOT NULL,              -- unix seconds
    deleted_at        INTEGER,                       -- soft delete time; NULL = live
    deleted_reason    TEXT                           -- why it was deleted (no identities)
) STRICT;
CREATE INDEX contact_category ON contact(org_id, category, received_at DESC);
CREATE INDEX contact_operator ON contact(operator_id, received_at DESC);
CREATE INDEX contact_phone ON contact(caller_phone_idx) WHERE caller_phone_idx IS NOT NULL;
CREATE INDEX contact_province ON contact(org_id, problem_province, received_at DESC);
CREATE INDEX contact_received ON contact(org_id, received_at DESC, id DESC);
CREATE INDEX contact_report_channel
    ON contact(org_id, channel, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_language
    ON contact(org_id, language, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_month
    ON contact(org_id, category, received_at, n_affected, is_danger, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_province
    ON contact(org_id, problem_province, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_sector
    ON contact(org_id, sector, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE TABLE event (
    id          INTEGER PRIMARY KEY,                -- row id
    org_id      INTEGER NOT NULL REFERENCES org(id), -- organisation it belongs to
    day         TEXT NOT NULL                       -- local date 'YYYY-MM-DD' (workspace time zone)
                CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    kind        TEXT NOT NULL                       -- campaign, broadcast, registration, other
                CHECK (kind IN ('campaign', 'broadcast', 'registration', 'other')),
    title       TEXT NOT NULL                       -- what happened; never an identity, 1-200 bytes
                CHECK (length(title) BETWEEN 1 AND 200),
    created_by  INTEGER REFERENCES user(id),        -- who recorded it; NULL = command line
    created_at  INTEGER NOT NULL,                   -- unix seconds
    deleted_at  INTEGER                             -- soft delete time; NULL = live
) STRICT;
CREATE INDEX event_org_day ON event(org_id, day);
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
, is_emergency INTEGER NOT NULL DEFAULT 0
    CHECK (is_emergency IN (0, 1)), contact_details BLOB) STRICT;
CREATE TABLE org_language (
    org_id   INTEGER NOT NULL REFERENCES org(id),
    language TEXT NOT NULL,                  -- e.g. 'my'
    PRIMARY KEY (org_id, language)
) STRICT, WITHOUT ROWID;
CREATE TABLE org_province (
    org_id   INTEGER NOT NULL REFERENCES org(id),
    province TEXT NOT NULL,                  -- e.g. 'TH-90'
    PRIMARY KEY (org_id, province)
) STRICT, WITHOUT ROWID;
CREATE INDEX org_province_by_province ON org_province(province);
CREATE TABLE org_service (
    org_id  INTEGER NOT NULL REFERENCES org(id),
    service TEXT NOT NULL,                   -- e.g. 'legal_aid'
    PRIMARY KEY (org_id, service)
) STRICT, WITHOUT ROWID;
CREATE INDEX org_service_by_service ON org_service(service);
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
