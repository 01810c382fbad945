-- One number that changes whenever what an authenticated actor may do changes: users'
-- standing, their roles, grants and branches, sessions ending, API keys revoked. Every
-- server process caches actors under it and re-reads them when it moves. The bump is part
-- of the changing transaction, so the new number is seen exactly when the change is.
CREATE TABLE auth_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO auth_generation (id, value) VALUES (1, 0);

CREATE FUNCTION bump_auth_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_generation SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_auth_generation
    AFTER UPDATE OF active, all_branches, password_changed_at, username, company_id OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER roles_auth_generation AFTER DELETE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER user_roles_auth_generation AFTER INSERT OR UPDATE OR DELETE ON user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER role_permissions_auth_generation AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER user_branches_auth_generation AFTER INSERT OR UPDATE OR DELETE ON user_branches
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER refresh_tokens_auth_generation
    AFTER UPDATE OF revoked_at, expires_at, user_id, session_id OR DELETE ON refresh_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
CREATE TRIGGER api_keys_auth_generation
    AFTER UPDATE OF revoked_at, expires_at, scopes, user_id, key_hash, prefix OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation();
