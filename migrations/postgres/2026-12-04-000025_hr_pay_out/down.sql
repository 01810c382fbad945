ALTER TABLE hr_payslips DROP COLUMN payment_id;
ALTER TABLE hr_pay_runs DROP COLUMN paid_on;
