-- Gives a user a role.
INSERT INTO user_roles VALUES ($email, $role, $by, $at)
