-- 0008_justice: the criminal-justice process of a case (dated events by
-- an agency, naming the perpetrators they concern) and the offenders,
-- brokers and businesses behind cases, with their identifiers and links.
-- Vocabularies live in justice.c and entity.c; names, aliases and
-- identifier values are stored only as vault ciphertext (AD = table,
-- column, row id) with blind indexes for exact search.

-- Offenders: perpetrator people and businesses.
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
CREATE INDEX entity_name ON entity(name_idx) WHERE name_idx IS NOT NULL;

-- Other names an entity is known by.
CREATE TABLE entity_alias (
    id         INTEGER PRIMARY KEY,                 -- row id
    entity_id  INTEGER NOT NULL REFERENCES entity(id), -- whose alias
    alias      BLOB NOT NULL,                       -- vault ciphertext
    alias_idx  BLOB NOT NULL,                       -- blind index (domain 'ename')
    created_at INTEGER NOT NULL                     -- unix seconds
) STRICT;
CREATE INDEX entity_alias_entity ON entity_alias(entity_id);
CREATE INDEX entity_alias_idx ON entity_alias(alias_idx);

-- Phones, licences, vessel registrations, bank accounts.
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

-- Which entities took part in which case, and how we know.
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

-- Links between entities. Directed kinds (works_for, owns, recruits_for)
-- read "from_id KIND to_id"; shared identifiers are stored with
-- from_id < to_id.
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
CREATE INDEX entity_link_to ON entity_link(to_id, state);
CREATE INDEX entity_link_from ON entity_link(from_id, state);

-- Dated steps of the criminal-justice process of a case.
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
CREATE INDEX justice_event_stage ON justice_event(stage, case_id, occurred_at);

-- The perpetrators an event concerns (e.g. who was arrested).
CREATE TABLE justice_event_entity (
    event_id   INTEGER NOT NULL REFERENCES justice_event(id), -- the event
    entity_id  INTEGER NOT NULL REFERENCES entity(id),        -- the perpetrator
    PRIMARY KEY (event_id, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX justice_event_entity_by_entity ON justice_event_entity(entity_id);
