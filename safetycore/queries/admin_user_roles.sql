-- Roles given on the Admin page.
SELECT email, role, set_by, set_at FROM user_roles ORDER BY email LIMIT 1000;
