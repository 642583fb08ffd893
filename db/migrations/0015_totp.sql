-- 0015_totp: the second sign-in factor (TOTP, RFC 6238) and its recovery
-- codes (src/base/totp.c). Required for administrators and coordinators,
-- optional for the other roles.

-- One authenticator per user: a started enrolment (confirmed_at 0) until
-- the user proves it with a code, then the account's second factor.
CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES user(id), -- the account
    secret       BLOB NOT NULL,    -- the 20-byte TOTP key, vault-encrypted (user_totp.secret, row user_id)
    created_at   INTEGER NOT NULL, -- unix seconds: enrolment started
    confirmed_at INTEGER NOT NULL DEFAULT 0, -- unix seconds; 0 = not yet confirmed
    last_step    INTEGER NOT NULL DEFAULT 0  -- last 30-second step accepted; a code of it or an earlier one is refused
) STRICT;

-- Single-use recovery codes; only a keyed hash is kept, and a used code's
-- row is deleted.
CREATE TABLE user_recovery (
    user_id   INTEGER NOT NULL REFERENCES user(id), -- the account
    code_hash BLOB NOT NULL,                        -- keyed BLAKE2b-256 of user id and code (vault "recovery")
    PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

-- Sessions of administrators and coordinators made with a password alone
-- end here: their next sign-in enrols a second factor.
DELETE FROM session
 WHERE user_id IN (SELECT id FROM user WHERE role IN ('admin', 'coordinator'));
