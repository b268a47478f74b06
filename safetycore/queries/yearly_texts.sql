-- The analyst's texts of the yearly situation picture, one per section, with who wrote them.
SELECT section, text, written_by, written_at
FROM yearly_texts
WHERE year = $year
ORDER BY section;
