-- How many refused rows had each reason.
SELECT split_part(reason, ':', 1), count(*)
FROM _final
WHERE outcome IN ('rejected', 'skipped')
GROUP BY ALL
ORDER BY 1
