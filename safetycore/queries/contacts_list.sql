-- The contacts for the Administration page: address, organisation, area group, language.
SELECT c.email, c.organisation, s.label_sv AS organisation_sv, s.label_en AS organisation_en,
       c.area_group_id, g.name AS area_group, c.language, c.added_by, c.added_at
FROM contacts AS c
LEFT JOIN sources AS s ON s.code = c.organisation
LEFT JOIN area_groups AS g ON g.id = c.area_group_id
ORDER BY c.email, s.sort_order NULLS FIRST, g.sort_order NULLS FIRST
LIMIT 1000;
