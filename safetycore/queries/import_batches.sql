-- Import history, newest first.
SELECT id, source, file_name, format, imported_by, imported_at, rows_read, imported,
       duplicates, rejected, skipped, undone_at, undone_by
FROM import_batches
ORDER BY id DESC
LIMIT 1000;
