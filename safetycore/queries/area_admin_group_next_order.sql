-- The sort order after the last area group's.
SELECT coalesce(max(sort_order) + 1, 0) FROM area_groups
