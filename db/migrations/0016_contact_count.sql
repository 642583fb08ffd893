-- 0016_contact_count: the monthly report's counts, kept as contacts are
-- stored and deleted (src/hotline/contact_count.c), so a report reads a
-- few rows per organisation and month instead of every contact (10M
-- contacts: 3-5.5 s a report before; docs/reports.md, Benchmarks).

-- Live contacts of one organisation in one local calendar month, for one
-- value of one counted column. Months are kept for each zone offset of
-- contact_count.c's list (every offset of the zones SIREN knows), so the
-- counts serve whatever zone the workspace is set to.
CREATE TABLE contact_count (
    offset_s   INTEGER NOT NULL, -- zone offset the month is in, seconds east of UTC
    org_id     INTEGER NOT NULL REFERENCES org(id), -- organisation that took the contacts
    month_at   INTEGER NOT NULL, -- unix seconds of 00:00 local time on the month's first day
    dim        INTEGER NOT NULL CHECK (dim BETWEEN 0 AND 4), -- column: 0 category, 1 problem_province, 2 channel, 3 language, 4 sector
    code       TEXT NOT NULL,    -- the column's value ('' = not given)
    n          INTEGER NOT NULL, -- live contacts with it
    n_danger   INTEGER NOT NULL, -- of those, in imminent danger (dim 0; 0 otherwise)
    n_affected INTEGER NOT NULL, -- people affected, summed (dim 0; 0 otherwise)
    PRIMARY KEY (offset_s, org_id, month_at, dim, code)
) STRICT, WITHOUT ROWID;

-- The live contacts already stored (contact_count.c's CC_REBUILD). Each
-- contact's month at 7 offsets and 5 columns would be 35 records to sort a
-- contact; instead the contacts are first summed into buckets that lie in
-- one month at every kept offset (all multiples of 30 minutes from 0 to 9
-- hours): a UTC month up to 9 hours before its end (u), then the half
-- hours of those last 9 hours; then each bucket (b) goes to its month at
-- each offset.
INSERT INTO contact_count(offset_s, org_id, month_at, dim, code, n,
                          n_danger, n_affected)
SELECT z.offset_s, s.org_id,
       CAST(strftime('%s', s.b + z.offset_s, 'unixepoch', 'start of month') AS INTEGER) - z.offset_s,
       s.dim, s.code, sum(s.n), sum(s.n_danger), sum(s.n_affected)
  FROM (SELECT k.org_id, k.b, d.dim,
               CASE d.dim WHEN 0 THEN k.category
                          WHEN 1 THEN k.problem_province
                          WHEN 2 THEN k.channel
                          WHEN 3 THEN k.language
                          ELSE k.sector END AS code,
               count(*) AS n,
               CASE WHEN d.dim = 0 THEN sum(k.is_danger) ELSE 0 END AS n_danger,
               CASE WHEN d.dim = 0 THEN sum(k.n_affected) ELSE 0 END
                   AS n_affected
          FROM (SELECT c.org_id, c.category, c.problem_province, c.channel,
                       c.language, c.sector, c.is_danger, c.n_affected,
                       CASE WHEN c.t < c.v - 32400 THEN c.u
                            ELSE c.t - (c.t - c.v + 32400) % 1800 END AS b
                  FROM (SELECT org_id, category, problem_province, channel,
                               language, sector, is_danger, n_affected,
                               received_at AS t,
                               CAST(strftime('%s', received_at, 'unixepoch', 'start of month') AS INTEGER) AS u,
                               CAST(strftime('%s', received_at, 'unixepoch', 'start of month',
                                             '+1 month') AS INTEGER) AS v
                          FROM contact
                         WHERE deleted_at IS NULL) AS c) AS k,
               (SELECT 0 AS dim UNION ALL SELECT 1 UNION ALL SELECT 2
                UNION ALL SELECT 3 UNION ALL SELECT 4) AS d
         GROUP BY 1, 2, 3, 4) AS s,
       (SELECT 0 AS offset_s UNION ALL SELECT 19800
        UNION ALL SELECT 21600 UNION ALL SELECT 23400
        UNION ALL SELECT 25200 UNION ALL SELECT 28800
        UNION ALL SELECT 32400) AS z
 GROUP BY 1, 2, 3, 4, 5;
