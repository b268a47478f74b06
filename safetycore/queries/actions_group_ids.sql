-- The area groups' ids, to check an action's area group against.
SELECT id FROM area_groups
