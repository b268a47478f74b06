-- Records the schema version the database now has.
INSERT INTO meta VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = $v
