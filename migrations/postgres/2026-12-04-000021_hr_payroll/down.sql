DROP TABLE hr_payslip_lines;
DROP TABLE hr_payslips;
DROP TABLE hr_pay_runs;
DROP TABLE hr_pay_components;
