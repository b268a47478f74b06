-- The source types that landed in an "other" category ($other), to be mapped to a better one
-- in the municipality's type map (data/taxonomy.local/).
SELECT i.category, coalesce(i.category_raw, '') AS category_raw, b.format, count(*) AS n,
       min(i.occurred_at) AS first_event, max(i.occurred_at) AS last_event
FROM incidents AS i
LEFT JOIN import_batches AS b ON b.id = i.import_batch_id
WHERE list_contains($other, i.category)
GROUP BY ALL
ORDER BY n DESC, category_raw
LIMIT 200;
