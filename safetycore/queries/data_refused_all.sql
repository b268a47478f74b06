-- Every row an import refused, for the CSV download (no page table: not capped at 1,000).
SELECT row_number, outcome, reason, raw
FROM rejected_rows
WHERE batch_id = $batch
ORDER BY row_number;
