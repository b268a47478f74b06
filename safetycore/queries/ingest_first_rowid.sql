-- The first row id of the temporary table _t.
SELECT min(rowid) FROM _t
