-- One import batch with its counts.
INSERT INTO import_batches (id, source, file_name, format, imported_by, rows_read,
               imported, duplicates, rejected, skipped)
           VALUES ($id, $source, $file, $format, $by, $read, $imported, $dups, $rejected, $skipped)
