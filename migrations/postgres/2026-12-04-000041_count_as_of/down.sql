ALTER TABLE count_sessions DROP COLUMN as_of;
