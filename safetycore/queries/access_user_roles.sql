-- Every user's address and role.
SELECT email, role FROM user_roles
