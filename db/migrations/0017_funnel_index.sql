-- 0017_funnel_index: indexes for the criminal-justice funnel
-- (src/justice/funnel.c), whose scans of every case's events and
-- perpetrators otherwise sort or group all of them (100,000 cases: over
-- 1 s on SQLite, 3 s and more on PostgreSQL: bench/cases). IF NOT EXISTS:
-- a store whose schema version was set back (tests/test_report_counts.c)
-- runs the migration again over indexes it already has.

-- Each case's events by stage, then time: the events of the cases in
-- case order, read without the table.
CREATE INDEX IF NOT EXISTS justice_event_case_stage ON justice_event(case_id, stage, occurred_at);

-- Perpetrators linked to cases by role: the count per role read in role
-- order, without sorting every link.
CREATE INDEX IF NOT EXISTS case_entity_by_role ON case_entity(role, case_id);
