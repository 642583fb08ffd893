-- 0014_audit_head: each audit append now also seals the chain's end in
-- meta 'audit_head' (a keyed MAC over the last row's id and hash), so that
-- rows removed at the end are seen by `siren audit verify`. A workspace
-- made before this has rows but no seal: this marks it, and the first
-- open with the key seals its end as it stands then (audit_seal_pending()
-- in src/base/audit.c). Rows removed before that first open cannot be told
-- from rows never written; from then on they can.

INSERT INTO meta(key, value)
SELECT 'audit_head_pending', X'31'
 WHERE EXISTS (SELECT 1 FROM audit)
   AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'audit_head');
