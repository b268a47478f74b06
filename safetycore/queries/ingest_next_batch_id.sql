-- The next import batch's id.
SELECT nextval('import_batch_id_seq')
