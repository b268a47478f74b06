-- Marks an import batch undone, by whom and now.
UPDATE import_batches SET undone_at = current_localtimestamp(), undone_by = $by WHERE id = $id
