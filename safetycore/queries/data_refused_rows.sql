-- The rows an import refused (rejected or skipped), with reasons: at most $limit for a table.
-- Rows in a sensitive category (or of unknown sensitivity, stored before it was recorded) only
-- when `$sensitive` (the role may see sensitive categories).
SELECT row_number, outcome, reason, raw
FROM rejected_rows
WHERE batch_id = $batch AND ($sensitive OR sensitive IS false)
ORDER BY row_number
LIMIT least($limit, 1000);
