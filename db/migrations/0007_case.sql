-- 0007_case: cases (trafficking situations), the people in them, consent,
-- support plans, notes, emergency identity views and duplicate people.
-- Vocabulary follows the Human Trafficking Case Data Standard (HTCDS v2),
-- plus forced criminality (scam compounds). Value lists live in case.c and
-- person.c; identity data is stored only as vault ciphertext (AD = table,
-- column, row id) with blind indexes for exact search.

CREATE TABLE case_file (
    id                   INTEGER PRIMARY KEY,              -- row id
    code                 TEXT NOT NULL UNIQUE,             -- public code, e.g. 'K-7KQ4-M2XD'
    org_id               INTEGER NOT NULL REFERENCES org(id), -- owning organisation
    created_by           INTEGER REFERENCES user(id),      -- NULL = command line or import
    assigned_to          INTEGER REFERENCES user(id),      -- case worker in charge, or NULL
    identified_at        INTEGER NOT NULL,                 -- unix seconds: when identified (funnel period)
    status               TEXT NOT NULL DEFAULT 'active',   -- active, follow_up, closed, closed_referred
    close_reason         TEXT NOT NULL DEFAULT '',         -- reason code when closed
    trafficking_status   TEXT NOT NULL DEFAULT 'possible', -- possible, actual, not_victim
    status_decided_by    TEXT NOT NULL DEFAULT '',         -- police, ngo, court, other_government, or ''
    exploitation         INTEGER NOT NULL DEFAULT 0,       -- bit set of case.c's exploitation types
    industry             TEXT NOT NULL DEFAULT '',         -- ISIC Rev.4 section letter A-U, or ''
    sex_exploitation     TEXT NOT NULL DEFAULT '',         -- sex-exploitation type code, or ''
    control_methods      INTEGER NOT NULL DEFAULT 0,       -- bit set of methods of control
    recruitment_method   TEXT NOT NULL DEFAULT '',         -- recruitment method code, or ''
    recruitment_sites    TEXT NOT NULL DEFAULT '',         -- comma-separated website/app codes (not identities)
    recruit_country      TEXT NOT NULL DEFAULT '',         -- ISO 3166-1 alpha-2
    recruit_province     TEXT NOT NULL DEFAULT '',         -- ISO 3166-2
    recruit_date         TEXT NOT NULL DEFAULT '',         -- YYYY, YYYY-MM or YYYY-MM-DD
    transit_country      TEXT NOT NULL DEFAULT '',
    transit_province     TEXT NOT NULL DEFAULT '',
    exploit_country      TEXT NOT NULL DEFAULT '',
    exploit_province     TEXT NOT NULL DEFAULT '',
    exploit_from         TEXT NOT NULL DEFAULT '',         -- YYYY[-MM[-DD]]
    exploit_to           TEXT NOT NULL DEFAULT '',         -- YYYY[-MM[-DD]] or '' (ongoing/unknown)
    legal_aid_org_id     INTEGER REFERENCES org(id),       -- legal-aid NGO supporting the case, or NULL
    legal_aid_from       INTEGER,                          -- unix seconds legal aid began, or NULL
    created_at           INTEGER NOT NULL,                 -- unix seconds
    updated_at           INTEGER NOT NULL,                 -- unix seconds
    deleted_at           INTEGER,                          -- soft delete; NULL = live
    deleted_reason       TEXT                              -- why (no identities)
) STRICT;
CREATE INDEX case_org_identified ON case_file(org_id, identified_at);
CREATE INDEX case_identified ON case_file(identified_at);

-- Contacts a case was opened from.
CREATE TABLE case_contact (
    case_id    INTEGER NOT NULL REFERENCES case_file(id),
    contact_id INTEGER NOT NULL REFERENCES contact(id),
    PRIMARY KEY (case_id, contact_id)
) STRICT, WITHOUT ROWID;

-- People: identity fields encrypted, non-identifying attributes in clear.
CREATE TABLE person (
    id               INTEGER PRIMARY KEY,             -- row id
    code             TEXT NOT NULL UNIQUE,            -- public code, e.g. 'P-7KQ4-M2XD'
    org_id           INTEGER NOT NULL REFERENCES org(id), -- organisation that recorded them
    name             BLOB,                            -- vault ciphertext: full name
    name_idx         BLOB,                            -- blind index (domain 'name')
    aliases          BLOB,                            -- vault ciphertext: aliases, one per line
    birth_date       BLOB,                            -- vault ciphertext: YYYY-MM-DD
    phone            BLOB,                            -- vault ciphertext
    phone_idx        BLOB,                            -- blind index (domain 'phone')
    id_number        BLOB,                            -- vault ciphertext: national ID number
    id_number_idx    BLOB,                            -- blind index (domain 'idnum')
    passport         BLOB,                            -- vault ciphertext: passport number
    passport_idx     BLOB,                            -- blind index (domain 'passport')
    address          BLOB,                            -- vault ciphertext
    gender           TEXT NOT NULL DEFAULT '',        -- female, male, other, unknown, or ''
    birth_year       INTEGER,                         -- year of birth, or NULL
    age_trafficked   INTEGER,                         -- age when trafficked, or NULL
    citizenship      TEXT NOT NULL DEFAULT '',        -- ISO 3166-1 alpha-2, or ''
    languages        TEXT NOT NULL DEFAULT '',        -- comma-separated ISO 639 codes
    education        TEXT NOT NULL DEFAULT '',        -- education level code, or ''
    merged_into      INTEGER REFERENCES person(id),   -- set when merged as a duplicate
    created_at       INTEGER NOT NULL,                -- unix seconds
    deleted_at       INTEGER                          -- soft delete; NULL = live
) STRICT;
CREATE INDEX person_phone ON person(phone_idx) WHERE phone_idx IS NOT NULL;
CREATE INDEX person_idnum ON person(id_number_idx) WHERE id_number_idx IS NOT NULL;
CREATE INDEX person_passport ON person(passport_idx) WHERE passport_idx IS NOT NULL;
CREATE INDEX person_name ON person(name_idx) WHERE name_idx IS NOT NULL;

-- Who is in which case, and as what.
CREATE TABLE case_person (
    case_id   INTEGER NOT NULL REFERENCES case_file(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    role      TEXT NOT NULL,               -- victim, caller, witness, perpetrator, other
    added_at  INTEGER NOT NULL,            -- unix seconds
    PRIMARY KEY (case_id, person_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_person_by_person ON case_person(person_id);

-- Consent per person and purpose; the newest row per purpose holds.
CREATE TABLE consent (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    purpose     TEXT NOT NULL,             -- services, share_ngo, share_police, research, family_tracing
    state       TEXT NOT NULL,             -- given, declined, withdrawn
    recorded_at INTEGER NOT NULL,          -- unix seconds
    recorded_by INTEGER REFERENCES user(id)
) STRICT;
CREATE INDEX consent_person ON consent(person_id, purpose, id);

-- The support plan: needs and the services that answer them.
CREATE TABLE support_item (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES case_file(id),
    person_id      INTEGER REFERENCES person(id),    -- the person it is for, or NULL (whole case)
    service        TEXT NOT NULL,                    -- shelter, legal, medical, psychosocial, repatriation, livelihood, education
    provider_org_id INTEGER REFERENCES org(id),      -- who provides it, or NULL
    planned_date   TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD or ''
    actual_date    TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD or ''
    status         TEXT NOT NULL DEFAULT 'planned',  -- planned, in_progress, done, cancelled
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX support_case ON support_item(case_id);

-- Case notes: free text, encrypted.
CREATE TABLE case_note (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES case_file(id),
    body       BLOB NOT NULL,                        -- vault ciphertext
    created_by INTEGER REFERENCES user(id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX case_note_case ON case_note(case_id, id);

-- "Break the glass": an emergency view of identities outside the usual
-- rules, with its reason, kept for the coordinator's review.
CREATE TABLE glass_break (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user(id),
    person_id   INTEGER REFERENCES person(id),
    case_id     INTEGER REFERENCES case_file(id),
    reason      TEXT NOT NULL,                       -- why (no identities)
    at          INTEGER NOT NULL,                    -- unix seconds
    reviewed_by INTEGER REFERENCES user(id),         -- coordinator who reviewed it
    reviewed_at INTEGER                              -- NULL = awaiting review
) STRICT;

-- Possible duplicate people and the case worker's decision.
CREATE TABLE person_duplicate (
    id          INTEGER PRIMARY KEY,
    person_a    INTEGER NOT NULL REFERENCES person(id), -- the earlier record (kept on merge)
    person_b    INTEGER NOT NULL REFERENCES person(id), -- the later record
    basis       TEXT NOT NULL,                          -- phone, id_number, passport, name
    score       REAL NOT NULL,                          -- 1.0 for exact matches; Jaro-Winkler otherwise
    state       TEXT NOT NULL DEFAULT 'suggested',      -- suggested, confirmed, rejected
    decided_by  INTEGER REFERENCES user(id),
    decided_at  INTEGER,
    UNIQUE (person_a, person_b)
) STRICT;
