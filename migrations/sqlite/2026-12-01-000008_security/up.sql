-- Security: built-in roles, sessions that access tokens name, login throttling.

-- Built-in roles (the Administrator) cannot be deleted or lose their permissions.
ALTER TABLE roles ADD COLUMN builtin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE roles SET builtin = TRUE
WHERE name = 'Administrator'
  AND id IN (SELECT role_id FROM role_permissions WHERE permission = '*');

-- A session is the chain of refresh tokens one login started; every access token names its
-- session (claim `sid`) and dies with it (logout, password change, disabling, token theft).
ALTER TABLE refresh_tokens ADD COLUMN session_id TEXT NOT NULL DEFAULT '';
UPDATE refresh_tokens SET session_id = id;
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Consecutive failed logins per account and address (`acct:<user>|<address>`), per account
-- (`acct:<user>`) and per address (`addr:<address>`), and the lock each has earned.
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- Addresses an account logged in from: failures elsewhere never lock the account out there.
CREATE TABLE login_known_addresses (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    last_success_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, address)
);
