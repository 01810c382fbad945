-- A count taken as of a past instant (the last day of the month): its expected quantities are
-- on hand at that instant, and its adjustments are dated then (business date), so the moves
-- posted since are neither undone nor counted twice.
ALTER TABLE count_sessions ADD COLUMN as_of TIMESTAMP;
