-- The columns of the temporary table _t.
SELECT column_name FROM (DESCRIBE _t)
