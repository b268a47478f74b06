-- Every value in meta.
SELECT key, value FROM meta
