-- Shifts of a work calendar: when on each weekday people start and stop (a night shift may end
-- the next morning), as JSON: [{"name", "days", "starts_at", "ends_at", "break_minutes"}].
-- Empty for a calendar of hours per weekday alone.
ALTER TABLE hr_calendars ADD COLUMN shifts TEXT NOT NULL DEFAULT '[]';
