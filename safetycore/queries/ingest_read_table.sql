-- The rows read into _t, without its empty column.
SELECT * EXCLUDE (__none) FROM _t
