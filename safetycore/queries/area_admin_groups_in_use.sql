-- The area groups actions or ratings refer to.
SELECT area_group_id FROM actions UNION SELECT area_group_id FROM area_ratings
