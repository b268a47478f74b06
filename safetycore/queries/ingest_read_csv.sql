-- Reads a CSV file, every column as text, into the temporary table _t (with an empty column __none).
CREATE OR REPLACE TEMP TABLE _t AS
SELECT *, CAST(NULL AS VARCHAR) AS __none
FROM read_csv($path, all_varchar = true, header = true, sample_size = 20480,
    null_padding = true, strict_mode = false)
