-- Forgets the rollup fingerprints of the weeks an area has incidents in, so they are rebuilt.
DELETE FROM rollup_weeks
WHERE week IN (
    SELECT DISTINCT CAST(date_trunc('week', occurred_at) AS DATE)
    FROM incidents
    WHERE area_id = $area
)
