-- Another area with this name (case-insensitive), if any.
SELECT name FROM areas WHERE lower(name) = lower($name) AND id <> $id
