-- 0002_contact: hotline contacts (calls, messages, walk-ins).
-- Identity data (phone, places, free text) is stored only encrypted by the
-- vault, bound to table 'contact', the column name and the row id.

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
CREATE INDEX contact_received ON contact(org_id, received_at DESC, id DESC);
CREATE INDEX contact_category ON contact(org_id, category, received_at DESC);
CREATE INDEX contact_province ON contact(org_id, problem_province, received_at DESC);
CREATE INDEX contact_operator ON contact(operator_id, received_at DESC);
CREATE INDEX contact_phone ON contact(caller_phone_idx) WHERE caller_phone_idx IS NOT NULL;
