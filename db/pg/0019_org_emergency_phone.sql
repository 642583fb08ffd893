-- 0019_org_emergency_phone on PostgreSQL: as
-- db/migrations/0019_org_emergency_phone.sql (an organisation's emergency
-- line in E.164, stored plain; NULL: none given).
ALTER TABLE org ADD COLUMN emergency_phone text;
