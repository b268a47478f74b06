-- The distinct description texts of the candidate rows that may hold personal data.
SELECT DISTINCT description FROM _cand WHERE regexp_matches(description, $pattern)
