ALTER TABLE hr_calendars DROP COLUMN shifts;
