-- Removes a user's role.
DELETE FROM user_roles WHERE email = $email
