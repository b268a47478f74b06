-- Deletes the incidents an import batch wrote.
DELETE FROM incidents WHERE import_batch_id = $id
