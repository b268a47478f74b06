-- Cost and who was involved for the current Filter (Trender, Lägesbild) against the same
-- period a year earlier ($ly_start .. $ly_end, its months moved a year on so they line up):
-- span 0 is the period, 1 the year before. One row per dimension and key: 'category',
-- 'group' (area group, '' for none), 'month', 'involved' ('not_recorded' where the report
-- does not say), 'involved_category' (key: involved, category in `sub`) and 'total'.
-- $involved (NULL: all) keeps the events of one group ('not_recorded' for those that do not say).
WITH rows AS (
    SELECT 0 AS span, category, coalesce(area_group_id, '') AS area_group_id,
           CAST(date_trunc('month', occurred_at) AS DATE) AS month,
           coalesce(involved, 'not_recorded') AS involved, people, cost_sek
    FROM filtered_incidents($start, $end, $selection)
    WHERE $involved IS NULL OR coalesce(involved, 'not_recorded') = $involved
    UNION ALL
    SELECT 1, category, coalesce(area_group_id, ''),
           CAST(date_trunc('month', occurred_at + INTERVAL 1 YEAR) AS DATE),
           coalesce(involved, 'not_recorded'), people, cost_sek
    FROM filtered_incidents($ly_start, $ly_end, $selection)
    WHERE $involved IS NULL OR coalesce(involved, 'not_recorded') = $involved
)
SELECT span,
       CASE WHEN grouping(category) = 0 AND grouping(involved) = 0 THEN 'involved_category'
            WHEN grouping(category) = 0 THEN 'category'
            WHEN grouping(area_group_id) = 0 THEN 'group'
            WHEN grouping(month) = 0 THEN 'month'
            WHEN grouping(involved) = 0 THEN 'involved'
            ELSE 'total' END AS dimension,
       CASE WHEN grouping(involved) = 0 THEN involved
            WHEN grouping(category) = 0 THEN category
            WHEN grouping(area_group_id) = 0 THEN area_group_id
            WHEN grouping(month) = 0 THEN CAST(month AS VARCHAR)
            ELSE '' END AS key,
       CASE WHEN grouping(category) = 0 AND grouping(involved) = 0 THEN category END AS sub,
       count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek, count(cost_sek) AS n_cost,
       coalesce(sum(people), 0) AS people
FROM rows
GROUP BY GROUPING SETS ((span), (span, category), (span, area_group_id), (span, month),
                        (span, involved), (span, involved, category))
ORDER BY span, dimension, key, sub;
