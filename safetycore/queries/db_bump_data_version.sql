-- Counts one more write, so cached reads of older data are not used.
UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'
