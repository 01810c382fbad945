DROP TABLE hr_leave_adjustments;
