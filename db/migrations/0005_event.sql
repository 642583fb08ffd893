-- 0005_event: events that explain the hotline's monthly traffic
-- (campaigns, broadcasts of its number, registration rounds), and the
-- covering indexes of the monthly report (src/report.c).

CREATE TABLE event (
    id          INTEGER PRIMARY KEY,                -- row id
    org_id      INTEGER NOT NULL REFERENCES org(id), -- organisation it belongs to
    day         TEXT NOT NULL                       -- local date 'YYYY-MM-DD' (workspace time zone)
                CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    kind        TEXT NOT NULL                       -- campaign, broadcast, registration, other
                CHECK (kind IN ('campaign', 'broadcast', 'registration', 'other')),
    title       TEXT NOT NULL                       -- what happened; never an identity, 1-200 bytes
                CHECK (length(title) BETWEEN 1 AND 200),
    created_by  INTEGER REFERENCES user(id),        -- who recorded it; NULL = command line
    created_at  INTEGER NOT NULL,                   -- unix seconds
    deleted_at  INTEGER                             -- soft delete time; NULL = live
) STRICT;
CREATE INDEX event_org_day ON event(org_id, day);

-- The monthly report: one range count per month and category over live
-- contacts (no sorting), covering the columns it counts. Partial (live contacts only), and
-- deleted_at is carried as the last column so that SQLite sees the
-- index as covering the query's "deleted_at IS NULL" term.
CREATE INDEX contact_report_month
    ON contact(org_id, category, received_at, n_affected, is_danger, deleted_at)
    WHERE deleted_at IS NULL;
-- The breakdowns: one grouped scan each, already in group order.
CREATE INDEX contact_report_province
    ON contact(org_id, problem_province, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_channel
    ON contact(org_id, channel, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_language
    ON contact(org_id, language, received_at, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contact_report_sector
    ON contact(org_id, sector, received_at, deleted_at)
    WHERE deleted_at IS NULL;
