DROP TABLE login_known_addresses;
DROP TABLE login_throttle;
DROP INDEX refresh_tokens_session_idx;
ALTER TABLE refresh_tokens DROP COLUMN session_id;
ALTER TABLE roles DROP COLUMN builtin;
