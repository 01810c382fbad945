-- Attendance: check-in and check-out events of employees (from themselves, a time terminal
-- with an API key, or HR), and the overtime rules daily totals are measured against.
CREATE TABLE hr_attendance (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    check_in TIMESTAMP NOT NULL,
    -- NULL while the employee is checked in.
    check_out TIMESTAMP,
    source TEXT NOT NULL CHECK (source IN ('self', 'terminal', 'hr')),
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CHECK (check_out IS NULL OR check_out > check_in)
);
CREATE INDEX hr_attendance_employee ON hr_attendance (employee_id, check_in);

CREATE TABLE hr_overtime_rules (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Hours worked over the threshold in a day, or in a week (Monday to Sunday) beyond what
    -- the daily rules counted already.
    per TEXT NOT NULL CHECK (per IN ('day', 'week')),
    threshold BIGINT NOT NULL CHECK (threshold >= 0),
    -- Pay for an overtime hour as a multiple of the hourly rate ×10^4 (1.25 is 12500).
    rate BIGINT NOT NULL CHECK (rate > 0),
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
