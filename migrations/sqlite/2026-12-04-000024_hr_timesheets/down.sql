DROP TABLE hr_timesheets;
