-- Starts the data version at 0 in a new database.
INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT (key) DO NOTHING
