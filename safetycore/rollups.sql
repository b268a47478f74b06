-- Refresh rollup_weekly for the weeks whose incidents changed (see db.refresh_rollups).
CREATE OR REPLACE TEMP TABLE changed_weeks AS
WITH current_weeks AS (
    SELECT CAST(date_trunc('week', occurred_at) AS DATE) AS week,
           count(*) AS n,
           sum(id)::HUGEINT AS id_sum
    FROM incidents
    GROUP BY 1
)
SELECT coalesce(c.week, r.week) AS week, c.n, c.id_sum
FROM current_weeks AS c
FULL OUTER JOIN rollup_weeks AS r ON r.week = c.week
WHERE c.n IS DISTINCT FROM r.n OR c.id_sum IS DISTINCT FROM r.id_sum;

DELETE FROM rollup_weekly WHERE week IN (SELECT week FROM changed_weeks);

INSERT INTO rollup_weekly
SELECT CAST(date_trunc('week', occurred_at) AS DATE) AS week,
       area_id, area_group_id, category, kind, source, sensitive,
       count(*) AS n,
       count(*) FILTER (WHERE h3_cell IS NOT NULL AND location_precision IN ('exact', 'street')
                          AND NOT sensitive) AS n_mappable
FROM incidents
WHERE occurred_at >= (SELECT min(week) FROM changed_weeks)
  AND CAST(date_trunc('week', occurred_at) AS DATE) IN (SELECT week FROM changed_weeks)
GROUP BY ALL;

DELETE FROM rollup_weeks WHERE week IN (SELECT week FROM changed_weeks);
INSERT INTO rollup_weeks SELECT week, n, id_sum FROM changed_weeks WHERE n IS NOT NULL;

DROP TABLE changed_weeks;
