DROP TABLE hr_contracts;
DROP TABLE hr_assignments;
DROP TABLE hr_employees;
DROP TABLE hr_positions;
DROP TABLE hr_departments;
