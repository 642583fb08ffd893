-- 0018_phone_e164: phone numbers are now stored and blind-indexed in one
-- international form, E.164 ("+66815557321", src/core/phone.h), so that a
-- number typed "081 555 7321" matches "+66 81-555-7321". Numbers stored
-- before were kept as typed: this marks a workspace that has any, and the
-- first open with the key rewrites them (rephone_pending() in
-- src/base/rephone.c) and drops the mark.

INSERT INTO meta(key, value)
SELECT 'phone_e164_pending', X'31'
 WHERE EXISTS (SELECT 1 FROM contact WHERE caller_phone IS NOT NULL)
    OR EXISTS (SELECT 1 FROM person WHERE phone IS NOT NULL)
    OR EXISTS (SELECT 1 FROM entity_identifier WHERE kind = 'phone');
