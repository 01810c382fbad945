-- Leave balance adjustments: days HR adds to or takes off a balance, with the reason (the
-- opening balance brought from a former system, a correction, days granted). They count in
-- the year of their date and carry over with the rest.
CREATE TABLE hr_leave_adjustments (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    leave_type_id TEXT NOT NULL REFERENCES hr_leave_types (id),
    effective_on DATE NOT NULL,
    -- Days ×10^6, more or less than zero.
    days BIGINT NOT NULL CHECK (days <> 0),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX hr_leave_adjustments_employee_idx ON hr_leave_adjustments (employee_id, leave_type_id, effective_on);
