-- 1 if the area group exists.
SELECT 1 FROM area_groups WHERE id = $id
