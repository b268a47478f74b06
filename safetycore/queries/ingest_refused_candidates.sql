-- The candidate rows refused (rejected or skipped), with their reason and category.
SELECT f.pos, f.row_no, f.outcome, f.reason, c.category
FROM _final AS f
JOIN _cand AS c USING (pos)
WHERE f.outcome IN ('rejected', 'skipped')
ORDER BY f.pos
