-- An area's population.
SELECT population FROM areas WHERE id = $id
