ALTER TABLE hr_contracts DROP COLUMN pay_structure_id;
DROP TABLE hr_pay_structure_components;
DROP TABLE hr_pay_structures;
