-- HR: departments as a tree per branch, positions with a planned head count, employees (a
-- person among the business partners, optionally a user), their assignments over time
-- (hire and transfers) and their employment contracts (each amendment a new contract that
-- continues the one it amends).
CREATE TABLE hr_departments (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    branch_id TEXT NOT NULL REFERENCES branches (id),
    parent_id TEXT REFERENCES hr_departments (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The cost center payroll posts this department's salaries to.
    cost_center TEXT,
    -- An employee (hr_employees); set once the manager is employed.
    manager_id TEXT REFERENCES hr_employees (id),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX hr_departments_parent ON hr_departments (parent_id);

CREATE TABLE hr_positions (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    department_id TEXT NOT NULL REFERENCES hr_departments (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    grade TEXT,
    -- Head count planned; filled is counted from the employees holding the position.
    headcount INTEGER NOT NULL CHECK (headcount >= 0),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX hr_positions_department ON hr_positions (department_id);

CREATE TABLE hr_employees (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    user_id TEXT UNIQUE REFERENCES users (id),
    -- The current assignment (the latest of hr_assignments).
    branch_id TEXT NOT NULL REFERENCES branches (id),
    department_id TEXT NOT NULL REFERENCES hr_departments (id),
    position_id TEXT REFERENCES hr_positions (id),
    manager_id TEXT REFERENCES hr_employees (id),
    hired_on DATE NOT NULL,
    -- The last day of employment, once notice is given; later than today means leaving.
    terminated_on DATE,
    termination_reason TEXT CHECK (termination_reason IN ('resignation', 'dismissal', 'end_of_contract', 'retirement', 'mutual_agreement', 'death', 'other')),
    termination_note TEXT,
    -- Confidential: seen by HR and by the employee.
    birth_date DATE,
    bank_account TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number),
    CHECK ((terminated_on IS NULL) = (termination_reason IS NULL))
);
CREATE INDEX hr_employees_department ON hr_employees (department_id);
CREATE INDEX hr_employees_manager ON hr_employees (manager_id);
CREATE INDEX hr_employees_partner ON hr_employees (partner_id);

CREATE TABLE hr_assignments (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    effective_on DATE NOT NULL,
    branch_id TEXT NOT NULL REFERENCES branches (id),
    department_id TEXT NOT NULL REFERENCES hr_departments (id),
    position_id TEXT REFERENCES hr_positions (id),
    manager_id TEXT REFERENCES hr_employees (id),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (employee_id, effective_on)
);

CREATE TABLE hr_contracts (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    kind TEXT NOT NULL CHECK (kind IN ('permanent', 'fixed_term', 'apprenticeship', 'temporary')),
    starts_on DATE NOT NULL,
    ends_on DATE,
    probation_ends_on DATE,
    -- Hours per week ×10^6.
    hours_per_week BIGINT NOT NULL CHECK (hours_per_week > 0),
    pay_basis TEXT NOT NULL CHECK (pay_basis IN ('monthly_salary', 'hourly')),
    -- The monthly salary or the hourly rate, money ×10^4, in currency.
    pay_rate BIGINT NOT NULL CHECK (pay_rate >= 0),
    currency TEXT NOT NULL,
    -- The contract this one continues with changed terms, from starts_on.
    amends_id TEXT UNIQUE REFERENCES hr_contracts (id),
    note TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX hr_contracts_employee ON hr_contracts (employee_id, starts_on);
