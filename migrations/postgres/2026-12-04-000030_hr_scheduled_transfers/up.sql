-- Transfers scheduled ahead: the assignment is recorded with its first day in the future and
-- pending; the employee moves when the day comes (the server applies due transfers).
ALTER TABLE hr_assignments ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX hr_assignments_pending_idx ON hr_assignments (pending, effective_on);
