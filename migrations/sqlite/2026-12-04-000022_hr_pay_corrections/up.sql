-- A payslip line that corrects an earlier month (a backdated raise): the month it corrects,
-- 'YYYY-MM'; NULL for the month's own lines.
ALTER TABLE hr_payslip_lines ADD COLUMN corrects TEXT;
