DROP TABLE hr_contracts;
DROP TABLE hr_assignments;
ALTER TABLE hr_departments DROP CONSTRAINT hr_departments_manager_id_fkey;
DROP TABLE hr_employees;
DROP TABLE hr_positions;
DROP TABLE hr_departments;
