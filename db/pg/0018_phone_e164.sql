-- 0018_phone_e164 on PostgreSQL: as db/migrations/0018_phone_e164.sql
-- (stored phones rewritten in E.164 at the next open with the key).

INSERT INTO meta(key, value)
SELECT 'phone_e164_pending', '\x31'::bytea
 WHERE EXISTS (SELECT 1 FROM contact WHERE caller_phone IS NOT NULL)
    OR EXISTS (SELECT 1 FROM person WHERE phone IS NOT NULL)
    OR EXISTS (SELECT 1 FROM entity_identifier WHERE kind = 'phone');
