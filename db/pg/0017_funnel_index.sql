-- 0017_funnel_index on PostgreSQL: as db/migrations/0017_funnel_index.sql
-- (indexes for the criminal-justice funnel, src/justice/funnel.c).
CREATE INDEX IF NOT EXISTS justice_event_case_stage ON justice_event(case_id, stage, occurred_at);
CREATE INDEX IF NOT EXISTS case_entity_by_role ON case_entity(role, case_id);
