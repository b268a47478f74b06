-- An area group's rating of one week (replacing an earlier one).
INSERT INTO area_ratings (area_group_id, iso_week, rating, comment, rated_by, rated_at)
VALUES ($group, $week, $rating, $comment, $by, $at)
ON CONFLICT (area_group_id, iso_week) DO UPDATE
SET rating = excluded.rating, comment = excluded.comment,
    rated_by = excluded.rated_by, rated_at = excluded.rated_at
