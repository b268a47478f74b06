-- The meeting's ratings for the weeks in $weeks (ISO week labels), per area group.
SELECT r.area_group_id, r.iso_week, r.rating, r.comment, r.rated_by, r.rated_at
FROM area_ratings AS r
JOIN area_groups AS g ON g.id = r.area_group_id
WHERE list_contains($weeks, r.iso_week)
  AND ($area_groups IS NULL OR list_contains($area_groups, r.area_group_id))
ORDER BY g.sort_order, r.iso_week;
