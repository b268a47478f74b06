-- An area's aliases, in the order they were added.
SELECT alias FROM area_aliases WHERE area_id = $id ORDER BY rowid
