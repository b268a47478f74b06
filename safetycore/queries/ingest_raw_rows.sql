-- The original cells of refused rows of the table `_t`, as JSON text, in row order.
-- `$base` is the row id of the file's first row (positions count from it).
SELECT CAST(to_json(r) AS VARCHAR) AS raw
FROM (SELECT * EXCLUDE (__none) FROM _t
      WHERE rowid - $base IN (SELECT pos FROM _positions) ORDER BY rowid) AS r;
