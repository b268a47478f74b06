-- The area group an area belongs to.
SELECT area_group_id FROM areas WHERE id = $id
