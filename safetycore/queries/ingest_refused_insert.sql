-- The refused rows of an import, from the registered frame _refused_rows, with their category's sensitivity.
INSERT INTO rejected_rows (batch_id, row_number, outcome, reason, raw, category, sensitive)
SELECT $batch, r.row_number, r.outcome, r.reason, r.raw, r.category, coalesce(c.sensitive, false)
FROM _refused_rows AS r
LEFT
JOIN categories AS c ON c.code = r.category
