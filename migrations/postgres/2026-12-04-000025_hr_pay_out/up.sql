-- Paying a posted run out: each payslip's net pay becomes a payment of finance from the bank
-- account, which the bank reconciliation matches to the transfer on the bank's statement.
ALTER TABLE hr_pay_runs ADD COLUMN paid_on DATE;
ALTER TABLE hr_payslips ADD COLUMN payment_id TEXT REFERENCES fin_payments (id);
