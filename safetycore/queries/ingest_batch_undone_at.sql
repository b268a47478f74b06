-- When an import batch was undone (NULL if it was not).
SELECT undone_at FROM import_batches WHERE id = $id
