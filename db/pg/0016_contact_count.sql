-- 0016_contact_count on PostgreSQL: as db/migrations/0016_contact_count.sql
-- (the monthly report's counts, kept as contacts are stored and deleted),
-- in PostgreSQL's types.
CREATE TABLE contact_count (
    offset_s   BIGINT NOT NULL, -- zone offset the month is in, seconds east of UTC
    org_id     BIGINT NOT NULL REFERENCES org(id), -- organisation that took the contacts
    month_at   BIGINT NOT NULL, -- unix seconds of 00:00 local time on the month's first day
    dim        BIGINT NOT NULL CHECK (dim BETWEEN 0 AND 4), -- 0 category, 1 problem_province, 2 channel, 3 language, 4 sector
    code       TEXT NOT NULL,   -- the column's value ('' = not given)
    n          BIGINT NOT NULL, -- live contacts with it
    n_danger   BIGINT NOT NULL, -- of those, in imminent danger (dim 0)
    n_affected BIGINT NOT NULL, -- people affected, summed (dim 0)
    PRIMARY KEY (offset_s, org_id, month_at, dim, code)
);

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
       CAST(extract(epoch FROM date_trunc('month', to_timestamp(
                                   s.b + z.offset_s) AT TIME ZONE 'UTC')) AS BIGINT) - z.offset_s,
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
                               CAST(extract(epoch FROM date_trunc('month', to_timestamp(
                                   received_at) AT TIME ZONE 'UTC')) AS BIGINT) AS u,
                               CAST(extract(epoch FROM date_trunc('month', to_timestamp(
                                   received_at) AT TIME ZONE 'UTC')
                                   + interval '1 month') AS BIGINT) AS v
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
