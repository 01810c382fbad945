ALTER TABLE hr_pay_components DROP COLUMN rounding;
ALTER TABLE hr_pay_components DROP COLUMN round_to;
