-- How many refused rows of an import are in a sensitive category (or of unknown sensitivity):
-- the rows left out for a role that may not see sensitive categories.
SELECT count(*) AS n
FROM rejected_rows
WHERE batch_id = $batch AND sensitive IS NOT false;
