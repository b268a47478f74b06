-- How many incidents an import batch wrote.
SELECT count(*) FROM incidents WHERE import_batch_id = $id
