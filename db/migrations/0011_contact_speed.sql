-- 0011_contact_speed: fewer indexes on contact, so a bulk import updates
-- fewer B-trees per row and the monthly report reads each live contact
-- once (docs/contacts.md and docs/reports.md, Benchmarks).

-- No statement uses it: the list's operator filter is a residual term of
-- the list statements, and users are never deleted (so the foreign key
-- operator_id -> user needs no index).
DROP INDEX contact_operator;

-- The report's five indexes (one per month count and breakdown) and the
-- list's contact_received give way to one covering index: src/report.c
-- scans it once per report, and the contact list pages through it
-- backwards, newest first ((received_at, id) DESC, as contact_received
-- did; a list shows live contacts only, as the index holds).
DROP INDEX contact_received;
DROP INDEX contact_report_month;
DROP INDEX contact_report_province;
DROP INDEX contact_report_channel;
DROP INDEX contact_report_language;
DROP INDEX contact_report_sector;
-- live contacts per organisation in (received_at, id) order, with every
-- column the report counts (deleted_at included so the index covers the
-- report's "deleted_at IS NULL" term)
CREATE INDEX contact_report
    ON contact(org_id, received_at, id, category, problem_province, channel,
               language, sector, n_affected, is_danger, deleted_at)
    WHERE deleted_at IS NULL;

-- The danger list filtered by category or province too: the danger index
-- also holds both, so the filters are checked in the index and only the
-- rows shown are read from the table (10M contacts: p99 106 -> 8 ms for
-- danger + trafficking + one province). Same name: contact.c's INDEXED BY
-- stands.
DROP INDEX contact_danger_page;
CREATE INDEX contact_danger_page
    ON contact(org_id, received_at DESC, id DESC, category, problem_province)
    WHERE is_danger = 1;
