-- The time span of each import's events still in the database (first and last occurred_at), and
-- the ISO week of its last event, for the import history's link to Lägesbild.
SELECT import_batch_id AS id, count(*) AS n, min(occurred_at) AS first_event,
       max(occurred_at) AS last_event, iso_week_label(max(occurred_at)) AS last_week
FROM incidents
WHERE import_batch_id IS NOT NULL
GROUP BY import_batch_id
ORDER BY import_batch_id DESC
LIMIT 1000;
