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
CREATE TABLE case_contact (
    case_id    INTEGER NOT NULL REFERENCES case_file(id),
    contact_id INTEGER NOT NULL REFERENCES contact(id),
    PRIMARY KEY (case_id, contact_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE case_entity (
    case_id    INTEGER NOT NULL REFERENCES case_file(id), -- the case
    entity_id  INTEGER NOT NULL REFERENCES entity(id),    -- the perpetrator
    role       TEXT NOT NULL,                       -- role in this case (entity.c's role codes)
    source     TEXT NOT NULL,                       -- investigation, victim_statement, ngo_report, court_record, media, other
    confidence TEXT NOT NULL,                       -- low, medium, high
    added_by   INTEGER REFERENCES user(id),         -- NULL = command line
    added_at   INTEGER NOT NULL,                    -- unix seconds
    PRIMARY KEY (case_id, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_entity_by_entity ON case_entity(entity_id, case_id);
CREATE INDEX case_entity_by_role ON case_entity(role, case_id);
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
CREATE INDEX case_identified ON case_file(identified_at);
CREATE TABLE case_note (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES case_file(id),
    body       BLOB NOT NULL,                        -- vault ciphertext
    created_by INTEGER REFERENCES user(id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX case_note_case ON case_note(case_id, id);
CREATE INDEX case_org_identified ON case_file(org_id, identified_at);
CREATE TABLE case_person (
    case_id   INTEGER NOT NULL REFERENCES case_file(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    role      TEXT NOT NULL,               -- victim, caller, witness, perpetrator, other
    added_at  INTEGER NOT NULL,            -- unix seconds
    PRIMARY KEY (case_id, person_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_person_by_person ON case_person(person_id);
CREATE TABLE consent (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    purpose     TEXT NOT NULL,             -- services, share_ngo, share_police, research, family_tracing
    state       TEXT NOT NULL,             -- given, declined, withdrawn
    recorded_at INTEGER NOT NULL,          -- unix seconds
    recorded_by INTEGER REFERENCES user(id)
) STRICT;
CREATE INDEX consent_person ON consent(person_id, purpose, id);
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
, import_audit_id INTEGER) STRICT;
CREATE INDEX contact_category_page
    ON contact(org_id, category, received_at DESC, id DESC);
CREATE TABLE contact_count (
    offset_s   INTEGER NOT NULL, -- zone offset the month is in, seconds east of UTC
    org_id     INTEGER NOT NULL REFERENCES org(id), -- organisation that took the contacts
    month_at   INTEGER NOT NULL, -- unix seconds of 00:00 local time on the month's first day
    dim        INTEGER NOT NULL CHECK (dim BETWEEN 0 AND 4), -- column: 0 category, 1 problem_province, 2 channel, 3 language, 4 sector
    code       TEXT NOT NULL,    -- the column's value ('' = not given)
    n          INTEGER NOT NULL, -- live contacts with it
    n_danger   INTEGER NOT NULL, -- of those, in imminent danger (dim 0; 0 otherwise)
    n_affected INTEGER NOT NULL, -- people affected, summed (dim 0; 0 otherwise)
    PRIMARY KEY (offset_s, org_id, month_at, dim, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_danger_page
    ON contact(org_id, received_at DESC, id DESC, category, problem_province)
    WHERE is_danger = 1;
CREATE INDEX contact_phone ON contact(caller_phone_idx) WHERE caller_phone_idx IS NOT NULL;
CREATE INDEX contact_province_page
    ON contact(org_id, problem_province, received_at DESC, id DESC);
CREATE INDEX contact_received_all ON contact(received_at DESC, id DESC);
CREATE INDEX contact_report
    ON contact(org_id, received_at, id, category, problem_province, channel,
               language, sector, n_affected, is_danger, deleted_at)
    WHERE deleted_at IS NULL;
CREATE TABLE entity (
    id          INTEGER PRIMARY KEY,                -- row id
    code        TEXT NOT NULL UNIQUE,               -- public code, e.g. 'E-7KQ4-M2XD'
    org_id      INTEGER NOT NULL REFERENCES org(id), -- organisation that recorded it
    kind        TEXT NOT NULL,                      -- person, recruitment_agency, employer, factory, vessel, broker_network, transporter, other_business
    name        BLOB,                               -- vault ciphertext: name
    name_idx    BLOB,                               -- blind index (domain 'ename')
    country     TEXT NOT NULL DEFAULT '',           -- ISO 3166-1 alpha-2, or ''
    roles       INTEGER NOT NULL DEFAULT 0,         -- bit set of entity.c's roles in the process (HTCDS)
    created_by  INTEGER REFERENCES user(id),        -- NULL = command line or import
    created_at  INTEGER NOT NULL,                   -- unix seconds
    deleted_at  INTEGER                             -- soft delete; NULL = live
) STRICT;
CREATE TABLE entity_alias (
    id         INTEGER PRIMARY KEY,                 -- row id
    entity_id  INTEGER NOT NULL REFERENCES entity(id), -- whose alias
    alias      BLOB NOT NULL,                       -- vault ciphertext
    alias_idx  BLOB NOT NULL,                       -- blind index (domain 'ename')
    created_at INTEGER NOT NULL                     -- unix seconds
) STRICT;
CREATE INDEX entity_alias_entity ON entity_alias(entity_id);
CREATE INDEX entity_alias_idx ON entity_alias(alias_idx);
CREATE TABLE entity_identifier (
    id         INTEGER PRIMARY KEY,                 -- row id
    entity_id  INTEGER NOT NULL REFERENCES entity(id), -- whose identifier
    kind       TEXT NOT NULL,                       -- phone, licence, vessel, bank_account, other
    value      BLOB NOT NULL,                       -- vault ciphertext
    value_idx  BLOB NOT NULL,                       -- blind index (domain 'phone' for phones, else 'eident')
    created_at INTEGER NOT NULL                     -- unix seconds
) STRICT;
CREATE INDEX entity_identifier_entity ON entity_identifier(entity_id);
CREATE INDEX entity_identifier_idx ON entity_identifier(kind, value_idx);
CREATE TABLE entity_link (
    id          INTEGER PRIMARY KEY,                -- row id
    from_id     INTEGER NOT NULL REFERENCES entity(id), -- subject
    to_id       INTEGER NOT NULL REFERENCES entity(id), -- object
    kind        TEXT NOT NULL,                      -- works_for, owns, recruits_for, shares_phone, shares_account
    source      TEXT NOT NULL,                      -- as case_entity.source, or shared_identifier
    confidence  TEXT NOT NULL,                      -- low, medium, high
    state       TEXT NOT NULL DEFAULT 'confirmed',  -- suggested, confirmed, rejected
    created_by  INTEGER REFERENCES user(id),        -- NULL = command line or automatic
    created_at  INTEGER NOT NULL,                   -- unix seconds
    decided_by  INTEGER REFERENCES user(id),        -- who confirmed or rejected a suggestion
    decided_at  INTEGER,                            -- unix seconds, or NULL
    UNIQUE (from_id, to_id, kind),
    CHECK (from_id <> to_id)
) STRICT;
CREATE INDEX entity_link_from ON entity_link(from_id, state);
CREATE INDEX entity_link_to ON entity_link(to_id, state);
CREATE INDEX entity_name ON entity(name_idx) WHERE name_idx IS NOT NULL;
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
CREATE TABLE justice_event (
    id            INTEGER PRIMARY KEY,              -- row id
    case_id       INTEGER NOT NULL REFERENCES case_file(id), -- the case
    kind          TEXT NOT NULL,                    -- justice.c's event kinds (reported ... victim_testified)
    stage         INTEGER NOT NULL,                 -- funnel stage the kind reaches (1-10), 0 = none
    occurred_at   INTEGER NOT NULL,                 -- unix seconds, 00:00 UTC of the day it happened
    agency_org_id INTEGER REFERENCES org(id),       -- agency from the directory, or NULL
    agency_kind   TEXT NOT NULL DEFAULT '',         -- kind of agency when not in the directory, or ''
    reason        TEXT NOT NULL DEFAULT '',         -- reason code (case dropped, victim declined), or ''
    created_by    INTEGER REFERENCES user(id),      -- NULL = command line
    created_at    INTEGER NOT NULL                  -- unix seconds
) STRICT;
CREATE INDEX justice_event_case ON justice_event(case_id, occurred_at);
CREATE INDEX justice_event_case_stage ON justice_event(case_id, stage, occurred_at);
CREATE TABLE justice_event_entity (
    event_id   INTEGER NOT NULL REFERENCES justice_event(id), -- the event
    entity_id  INTEGER NOT NULL REFERENCES entity(id),        -- the perpetrator
    PRIMARY KEY (event_id, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX justice_event_entity_by_entity ON justice_event_entity(entity_id);
CREATE INDEX justice_event_stage ON justice_event(stage, case_id, occurred_at);
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
    CHECK (is_emergency IN (0, 1)), contact_details BLOB, emergency_phone TEXT) STRICT;
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
, name_block BLOB) STRICT;
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
CREATE INDEX person_idnum ON person(id_number_idx) WHERE id_number_idx IS NOT NULL;
CREATE INDEX person_name ON person(name_idx) WHERE name_idx IS NOT NULL;
CREATE INDEX person_name_block ON person(name_block, birth_year)
    WHERE name_block IS NOT NULL;
CREATE INDEX person_passport ON person(passport_idx) WHERE passport_idx IS NOT NULL;
CREATE INDEX person_phone ON person(phone_idx) WHERE phone_idx IS NOT NULL;
CREATE TABLE referral (
    id              INTEGER PRIMARY KEY,            -- row id
    code            TEXT NOT NULL UNIQUE,           -- public code, e.g. 'R-7KQ4-M2XD'
    subject_type    TEXT NOT NULL CHECK (subject_type IN ('contact', 'case')), -- what is referred
    subject_id      INTEGER NOT NULL,               -- contact.id (or a case's id) of the subject
    subject_code    TEXT NOT NULL,                  -- the subject's code, shown to the sender only
    province        TEXT NOT NULL DEFAULT '',       -- ISO 3166-2 where the problem is (copied at sending)
    category        TEXT NOT NULL DEFAULT '',       -- contact category at sending (trafficking, ...)
    language        TEXT NOT NULL DEFAULT '',       -- ISO 639 language of the caller at sending
    from_org_id     INTEGER NOT NULL REFERENCES org(id), -- sending organisation
    to_org_id       INTEGER NOT NULL REFERENCES org(id), -- receiving organisation
    service         TEXT NOT NULL,                  -- org.c service code asked for
    urgency         TEXT NOT NULL CHECK (urgency IN ('emergency', 'high', 'normal', 'low')),
    consent_basis   INTEGER NOT NULL CHECK (consent_basis IN (1, 2)), -- consent bit relied on: 1 NGOs and services, 2 police and authorities
    note            BLOB,                           -- vault ciphertext: the sender's note to the partner
    status          TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent',
                        'acknowledged', 'accepted', 'declined', 'action_taken',
                        'no_action', 'closed')),  -- current state
    decline_reason  TEXT NOT NULL DEFAULT '',       -- reason code when declined
    outcome_reason  TEXT NOT NULL DEFAULT '',       -- reason code when no action was taken
    sent_by         INTEGER REFERENCES user(id),    -- user who sent it; NULL = command line
    sent_at         INTEGER NOT NULL,               -- unix seconds
    due_at          INTEGER NOT NULL,               -- sent_at + the urgency's answer time; overdue past it unanswered
    acknowledged_at INTEGER,                        -- first answer (acknowledged, accepted or declined); NULL = none
    accepted_at     INTEGER,                        -- unix seconds, or NULL
    declined_at     INTEGER,                        -- unix seconds, or NULL
    outcome         TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'action_taken', 'no_action')), -- what came of it
    outcome_at      INTEGER,                        -- when action_taken or no_action was recorded
    closed_at       INTEGER,                        -- unix seconds, or NULL
    updated_at      INTEGER NOT NULL                -- last change, unix seconds
) STRICT;
CREATE TABLE referral_event (
    id          INTEGER PRIMARY KEY,                -- row id, in order of entry
    referral_id INTEGER NOT NULL REFERENCES referral(id), -- the referral
    status      TEXT NOT NULL,                      -- state entered (sent, acknowledged, ...)
    reason      TEXT NOT NULL DEFAULT '',           -- reason code for declined and no_action
    at          INTEGER NOT NULL,                   -- unix seconds
    user_id     INTEGER REFERENCES user(id),        -- who; NULL = command line
    org_id      INTEGER REFERENCES org(id)          -- on behalf of which organisation; NULL = command line
) STRICT;
CREATE INDEX referral_event_by_referral ON referral_event(referral_id, id);
CREATE INDEX referral_from ON referral(from_org_id, id DESC);
CREATE INDEX referral_overdue ON referral(status, due_at);
CREATE INDEX referral_sent ON referral(sent_at);
CREATE INDEX referral_to ON referral(to_org_id, id DESC);
CREATE TABLE session (
    token_hash BLOB PRIMARY KEY,                  -- BLAKE2b-256 of the cookie token
    user_id    INTEGER NOT NULL REFERENCES user(id),
    csrf       TEXT NOT NULL,                     -- per-session CSRF token (hex)
    created_at INTEGER NOT NULL,                  -- unix seconds; 12 h absolute limit
    seen_at    INTEGER NOT NULL                   -- unix seconds; 30 min idle limit
) STRICT, WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);
CREATE INDEX support_case ON support_item(case_id);
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
CREATE TABLE survey_analysis (
    id             INTEGER PRIMARY KEY,
    dataset_id     INTEGER NOT NULL REFERENCES survey_dataset(id),
    dataset_sha256 TEXT NOT NULL,            -- the data set's hash when run
    method         TEXT NOT NULL             -- what was run
        CHECK (method IN ('prevalence', 'risk', 'mse', 'rds')),
    options        TEXT NOT NULL,            -- JSON object of option name -> string value, keys sorted
    seed           INTEGER NOT NULL,         -- random seed used (bootstraps); 0 when none needed
    version        TEXT NOT NULL,            -- SIREN version that ran it
    result         TEXT NOT NULL,            -- JSON report: {info, tables}
    created_by     INTEGER REFERENCES user(id),  -- NULL: the command line
    created_at     INTEGER NOT NULL          -- unix seconds
, org_id INTEGER REFERENCES org(id)) STRICT;
CREATE INDEX survey_analysis_by_dataset ON survey_analysis(dataset_id);
CREATE TABLE survey_column (
    dataset_id     INTEGER NOT NULL REFERENCES survey_dataset(id),
    position       INTEGER NOT NULL CHECK (position >= 0),  -- 0-based column index in the CSV
    name           TEXT NOT NULL,            -- header text ('group/question' for Kobo)
    tag            TEXT NOT NULL DEFAULT '', -- HXL hashtag or ''
    type           TEXT NOT NULL             -- inferred, then editable
        CHECK (type IN ('numeric', 'categorical', 'text', 'date')),
    label          TEXT NOT NULL DEFAULT '', -- question text or description
    is_identifying INTEGER NOT NULL DEFAULT 0 -- 1: names, phones, ids, free text
        CHECK (is_identifying IN (0, 1)),
    n_missing      INTEGER NOT NULL DEFAULT 0,  -- missing cells
    n_distinct     INTEGER NOT NULL DEFAULT 0,  -- distinct non-missing values (capped at 1000)
    PRIMARY KEY (dataset_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE survey_dataset (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,      -- random code, e.g. 'D-7KQ4-M2XD'
    name          TEXT NOT NULL,             -- analyst's short name, unique among live sets
    n_rows        INTEGER NOT NULL CHECK (n_rows >= 0),  -- data rows
    n_cols        INTEGER NOT NULL CHECK (n_cols >= 1),  -- columns kept
    n_dropped     INTEGER NOT NULL DEFAULT 0,            -- identifying columns dropped at import
    has_identity  INTEGER NOT NULL DEFAULT 0             -- 1: an identifying column was kept
        CHECK (has_identity IN (0, 1)),
    sha256        TEXT NOT NULL,             -- hex SHA-256 of the stored canonical CSV
    n_bytes       INTEGER NOT NULL,          -- bytes of that CSV
    data          BLOB NOT NULL,             -- vault ciphertext (table 'survey_dataset', column 'data') of the canonical CSV
    created_by    INTEGER REFERENCES user(id),  -- NULL: the command line
    created_at    INTEGER NOT NULL,          -- unix seconds
    deleted_at    INTEGER,                   -- unix seconds; NULL while live
    deleted_by    INTEGER REFERENCES user(id),  -- who deleted it; NULL: command line
    delete_reason TEXT                       -- why (required when deleted)
, org_id INTEGER REFERENCES org(id)) STRICT;
CREATE UNIQUE INDEX survey_dataset_live_name ON survey_dataset(name)
    WHERE deleted_at IS NULL;
CREATE TABLE survey_value_label (
    dataset_id INTEGER NOT NULL,
    position   INTEGER NOT NULL,             -- the column
    value      TEXT NOT NULL,                -- the code as it appears in the data
    label      TEXT NOT NULL,                -- its meaning
    PRIMARY KEY (dataset_id, position, value),
    FOREIGN KEY (dataset_id, position)
        REFERENCES survey_column(dataset_id, position)
) STRICT, WITHOUT ROWID;
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
CREATE TABLE user_recovery (
    user_id   INTEGER NOT NULL REFERENCES user(id), -- the account
    code_hash BLOB NOT NULL,                        -- keyed BLAKE2b-256 of user id and code (vault "recovery")
    PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;
CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES user(id), -- the account
    secret       BLOB NOT NULL,    -- the 20-byte TOTP key, vault-encrypted (user_totp.secret, row user_id)
    created_at   INTEGER NOT NULL, -- unix seconds: enrolment started
    confirmed_at INTEGER NOT NULL DEFAULT 0, -- unix seconds; 0 = not yet confirmed
    last_step    INTEGER NOT NULL DEFAULT 0  -- last 30-second step accepted; a code of it or an earlier one is refused
) STRICT;
