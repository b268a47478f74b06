-- Every row an import refused, for the CSV download (no page table: not capped at 1,000).
-- Rows in a sensitive category (or of unknown sensitivity) only when `$sensitive`.
SELECT row_number, outcome, reason, raw
FROM rejected_rows
WHERE batch_id = $batch AND ($sensitive OR sensitive IS false)
ORDER BY row_number;
