-- An area's name.
SELECT name FROM areas WHERE id = $id
