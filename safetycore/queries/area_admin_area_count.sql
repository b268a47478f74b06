-- How many areas there are.
SELECT count(*) FROM areas
