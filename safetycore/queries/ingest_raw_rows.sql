-- The original cells of refused rows of the table `_t`, as JSON text, in row order.
SELECT CAST(to_json(r) AS VARCHAR) AS raw
FROM (SELECT * EXCLUDE (__none) FROM _t WHERE rowid IN (SELECT pos FROM _positions) ORDER BY rowid) AS r;
