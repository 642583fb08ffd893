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

INSERT INTO contact_count(offset_s, org_id, month_at, dim, code, n,
                          n_danger, n_affected)
SELECT z.offset_s, c.org_id,
       CAST(extract(epoch FROM date_trunc('month', to_timestamp(
           c.received_at + z.offset_s) AT TIME ZONE 'UTC')) AS BIGINT)
           - z.offset_s,
       d.dim,
       CASE d.dim WHEN 0 THEN c.category
                  WHEN 1 THEN c.problem_province
                  WHEN 2 THEN c.channel
                  WHEN 3 THEN c.language
                  ELSE c.sector END,
       count(*),
       CASE WHEN d.dim = 0 THEN sum(c.is_danger) ELSE 0 END,
       CASE WHEN d.dim = 0 THEN sum(c.n_affected) ELSE 0 END
  FROM contact AS c,
       (SELECT 0 AS offset_s UNION ALL SELECT 19800
        UNION ALL SELECT 21600 UNION ALL SELECT 23400
        UNION ALL SELECT 25200 UNION ALL SELECT 28800
        UNION ALL SELECT 32400) AS z,
       (SELECT 0 AS dim UNION ALL SELECT 1 UNION ALL SELECT 2
        UNION ALL SELECT 3 UNION ALL SELECT 4) AS d
 WHERE c.deleted_at IS NULL
 GROUP BY 1, 2, 3, 4, 5;
