-- Every area's id, name and aliases.
SELECT id, name, aliases FROM areas
