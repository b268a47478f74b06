-- The area groups' ids and names, in display order.
SELECT id, name FROM area_groups ORDER BY sort_order
