DROP TABLE hr_overtime_rules;
DROP TABLE hr_attendance;
