-- Every area's id.
SELECT id FROM areas
