-- The rows an import refused (rejected or skipped), with reasons: at most $limit for a table.
SELECT row_number, outcome, reason, raw
FROM rejected_rows
WHERE batch_id = $batch
ORDER BY row_number
LIMIT least($limit, 1000);
