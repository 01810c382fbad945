-- One number that changes whenever what an authenticated actor may do changes: users'
-- standing, their roles, grants and branches, sessions ending, API keys revoked. Every
-- server process caches actors under it and re-reads them when it moves.
CREATE TABLE auth_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO auth_generation (id, value) VALUES (1, 0);

CREATE TRIGGER users_auth_generation AFTER UPDATE OF active, all_branches, password_changed_at, username, company_id ON users
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER users_deleted_auth_generation AFTER DELETE ON users
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_deleted_auth_generation AFTER DELETE ON roles
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_added_auth_generation AFTER INSERT ON user_roles
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_changed_auth_generation AFTER UPDATE ON user_roles
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_deleted_auth_generation AFTER DELETE ON user_roles
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER role_permissions_added_auth_generation AFTER INSERT ON role_permissions
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER role_permissions_changed_auth_generation AFTER UPDATE ON role_permissions
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER role_permissions_deleted_auth_generation AFTER DELETE ON role_permissions
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_branches_added_auth_generation AFTER INSERT ON user_branches
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_branches_changed_auth_generation AFTER UPDATE ON user_branches
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_branches_deleted_auth_generation AFTER DELETE ON user_branches
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER refresh_tokens_auth_generation AFTER UPDATE OF revoked_at, expires_at, user_id, session_id ON refresh_tokens
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER refresh_tokens_deleted_auth_generation AFTER DELETE ON refresh_tokens
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_auth_generation AFTER UPDATE OF revoked_at, expires_at, scopes, user_id, key_hash, prefix ON api_keys
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_deleted_auth_generation AFTER DELETE ON api_keys
BEGIN UPDATE auth_generation SET value = value + 1 WHERE id = 1; END;
