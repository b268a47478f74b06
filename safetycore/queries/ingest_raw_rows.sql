-- The original cells of refused rows of the table `_t`, in row order (turned into masked JSON
-- text by ingest/refused.py). `$base` is the row id of the file's first row (positions count
-- from it).
SELECT * EXCLUDE (__none)
FROM _t
WHERE rowid - $base IN (SELECT pos FROM _positions)
ORDER BY rowid;
