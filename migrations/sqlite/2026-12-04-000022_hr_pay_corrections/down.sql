ALTER TABLE hr_payslip_lines DROP COLUMN corrects;
