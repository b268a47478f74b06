-- The candidate rows' times.
SELECT pos, occurred_at FROM _cand WHERE occurred_at IS NOT NULL
