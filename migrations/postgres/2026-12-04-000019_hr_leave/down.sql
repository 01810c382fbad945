DROP TABLE hr_leave_requests;
DROP TABLE hr_leave_types;
DROP TABLE hr_holidays;
ALTER TABLE hr_employees DROP COLUMN calendar_id;
DROP TABLE hr_calendars;
