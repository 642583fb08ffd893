-- 0004_referral: referrals of a contact (later a case) from one
-- organisation to another for a service, and each step of the answer.
-- The note is identity data (free text): stored only as vault ciphertext
-- bound to table 'referral', column 'note' and the row id.

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
CREATE INDEX referral_from ON referral(from_org_id, id DESC);
CREATE INDEX referral_to ON referral(to_org_id, id DESC);
CREATE INDEX referral_sent ON referral(sent_at);
CREATE INDEX referral_overdue ON referral(status, due_at);

-- Each state a referral entered: when, by whom, why.
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
