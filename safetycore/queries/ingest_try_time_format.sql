-- Whether DuckDB accepts a time format (a test date through try_strptime).
SELECT try_strptime('2000-01-01', $f)
