-- The distinct place texts of the candidate rows that may hold personal data.
SELECT DISTINCT place FROM _cand WHERE regexp_matches(place, $pattern)
