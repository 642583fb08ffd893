-- 0015_totp on PostgreSQL: as db/migrations/0015_totp.sql (the second
-- sign-in factor and its recovery codes), in PostgreSQL's types.
CREATE TABLE user_totp (
    user_id      BIGINT PRIMARY KEY REFERENCES "user"(id), -- the account
    secret       BYTEA NOT NULL,   -- the 20-byte TOTP key, vault-encrypted (user_totp.secret, row user_id)
    created_at   BIGINT NOT NULL,  -- unix seconds: enrolment started
    confirmed_at BIGINT NOT NULL DEFAULT 0, -- unix seconds; 0 = not yet confirmed
    last_step    BIGINT NOT NULL DEFAULT 0  -- last 30-second step accepted
);

CREATE TABLE user_recovery (
    user_id   BIGINT NOT NULL REFERENCES "user"(id), -- the account
    code_hash BYTEA NOT NULL,                        -- keyed BLAKE2b-256 of user id and code
    PRIMARY KEY (user_id, code_hash)
);

DELETE FROM session
 WHERE user_id IN (SELECT id FROM "user" WHERE role IN ('admin', 'coordinator'));
