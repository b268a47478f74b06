-- Area groups in the order the meeting walks through them.
SELECT id, name, population, sort_order
FROM area_groups
ORDER BY sort_order, name;
