-- 1 if the area exists.
SELECT 1 FROM areas WHERE id = $id
