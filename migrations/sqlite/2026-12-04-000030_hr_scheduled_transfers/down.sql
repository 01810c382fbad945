DROP INDEX hr_assignments_pending_idx;
ALTER TABLE hr_assignments DROP COLUMN pending;
