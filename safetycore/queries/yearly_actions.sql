-- The yearly situation picture: the actions under way in the year (started before its end and
-- not finished or cancelled before its start), with what the effect evaluation needs.
SELECT a.id, a.title, a.area_group_id, a.area_id, a.target_categories, a.owner_org, a.status,
       a.start_date, CAST(a.done_at AS DATE) AS done_on, a.cost_sek, a.lat, a.lon, a.radius_m,
       a.origin
FROM actions AS a
WHERE a.start_date < CAST($e0 AS DATE)
  AND (a.done_at IS NULL OR a.done_at >= $s0)
  AND NOT (a.status = 'cancelled' AND (SELECT max(changed_at) FROM action_log AS l
                                       WHERE l.action_id = a.id) < $s0)
ORDER BY a.start_date, a.id;
