-- One value from meta.
SELECT value FROM meta WHERE key = $key
