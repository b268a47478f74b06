-- Deletes an area's aliases.
DELETE FROM area_aliases WHERE area_id = $id
