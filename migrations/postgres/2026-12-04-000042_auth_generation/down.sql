DROP TRIGGER users_auth_generation ON users;
DROP TRIGGER roles_auth_generation ON roles;
DROP TRIGGER user_roles_auth_generation ON user_roles;
DROP TRIGGER role_permissions_auth_generation ON role_permissions;
DROP TRIGGER user_branches_auth_generation ON user_branches;
DROP TRIGGER refresh_tokens_auth_generation ON refresh_tokens;
DROP TRIGGER api_keys_auth_generation ON api_keys;
DROP FUNCTION bump_auth_generation();
DROP TABLE auth_generation;
