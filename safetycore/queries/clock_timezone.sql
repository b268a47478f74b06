-- The municipality's time zone, if the database has one.
SELECT value FROM meta WHERE key = 'timezone'
