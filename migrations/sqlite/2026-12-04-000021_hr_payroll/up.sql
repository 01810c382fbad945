-- Payroll: pay components as data (earnings, deductions, employer contributions, each a
-- parameterised kind of rule with its accounts), pay runs per branch and month (draft,
-- approved, posted), payslips and their lines with the basis of each amount.
CREATE TABLE hr_pay_components (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('earning', 'deduction', 'employer')),
    method TEXT NOT NULL CHECK (method IN ('salary', 'hourly_pay', 'overtime', 'unpaid_leave', 'fixed', 'percent', 'brackets')),
    -- fixed: the amount, money ×10^4.
    amount BIGINT,
    -- percent: the rate, percent ×10^4.
    rate BIGINT,
    -- percent: the basis is capped at this amount, money ×10^4.
    cap BIGINT,
    -- percent and brackets: 'gross', or 'gross_less_deductions' (those computed before).
    basis TEXT CHECK (basis IN ('gross', 'gross_less_deductions')),
    -- brackets: JSON [{"over": "0", "rate": "0"}, {"over": "1000", "rate": "20"}, ...].
    brackets TEXT,
    expense_account_id TEXT REFERENCES fin_accounts (id),
    liability_account_id TEXT REFERENCES fin_accounts (id),
    sequence INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE hr_pay_runs (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    branch_id TEXT NOT NULL REFERENCES branches (id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'posted')),
    currency TEXT NOT NULL,
    -- Money ×10^4.
    gross BIGINT NOT NULL,
    deductions BIGINT NOT NULL,
    employer BIGINT NOT NULL,
    net BIGINT NOT NULL,
    payable_account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    entry_id TEXT REFERENCES fin_entries (id),
    approved_by TEXT,
    approved_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, branch_id, year, month)
);

CREATE TABLE hr_payslips (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    run_id TEXT NOT NULL REFERENCES hr_pay_runs (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    department_id TEXT NOT NULL REFERENCES hr_departments (id),
    days_employed INTEGER NOT NULL,
    gross BIGINT NOT NULL,
    deductions BIGINT NOT NULL,
    employer BIGINT NOT NULL,
    net BIGINT NOT NULL,
    UNIQUE (run_id, employee_id)
);
CREATE INDEX hr_payslips_employee ON hr_payslips (employee_id);

CREATE TABLE hr_payslip_lines (
    payslip_id TEXT NOT NULL REFERENCES hr_payslips (id),
    line_no INTEGER NOT NULL,
    component_id TEXT NOT NULL REFERENCES hr_pay_components (id),
    kind TEXT NOT NULL CHECK (kind IN ('earning', 'deduction', 'employer')),
    -- What the amount was computed from: days, hours, or an amount, ×10^6.
    quantity BIGINT,
    -- The rate applied (a salary, an hourly rate, a percent), ×10^6.
    rate BIGINT,
    -- The amount the rate applied to, money ×10^4.
    base BIGINT,
    amount BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (payslip_id, line_no)
);
