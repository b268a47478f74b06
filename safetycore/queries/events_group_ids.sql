-- The area groups' ids, to check an event's area group against.
SELECT id FROM area_groups
