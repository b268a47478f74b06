-- Sets one value in meta.
INSERT INTO meta VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = $value
