-- The distinct category_raw texts of the candidate rows that may hold personal data.
SELECT DISTINCT category_raw FROM _cand WHERE regexp_matches(category_raw, $pattern)
