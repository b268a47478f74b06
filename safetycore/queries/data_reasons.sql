-- Refused rows of one import per outcome and reason code (the part before ':').
SELECT outcome, split_part(reason, ':', 1) AS reason, count(*) AS n
FROM rejected_rows
WHERE batch_id = $batch
GROUP BY ALL
ORDER BY n DESC
LIMIT 100;
