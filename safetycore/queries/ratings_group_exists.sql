-- 1 if the area group exists.
SELECT count(*) FROM area_groups WHERE id = $id
