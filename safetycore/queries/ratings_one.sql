-- An area group's rating of one week.
SELECT area_group_id, iso_week, rating, comment, rated_by, rated_at
FROM area_ratings
WHERE area_group_id = $group AND iso_week = $week
