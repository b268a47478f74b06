-- An area group with this name (case-insensitive), if any.
SELECT name FROM area_groups WHERE lower(name) = lower($name)
