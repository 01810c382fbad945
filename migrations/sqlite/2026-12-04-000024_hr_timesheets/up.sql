-- Timesheets: hours an employee worked on a day against a project, a customer, a CRM deal
-- (and so its customer) or a production order's operation (its actual labour).
CREATE TABLE hr_timesheets (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    work_date DATE NOT NULL,
    -- Hours ×10^6.
    hours BIGINT NOT NULL CHECK (hours > 0),
    target TEXT NOT NULL CHECK (target IN ('project', 'customer', 'deal', 'operation')),
    project TEXT,
    -- The customer, for a customer or a deal.
    partner_id TEXT REFERENCES partners (id),
    -- The deal, or the production order.
    reference_id TEXT,
    operation_seq INTEGER,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX hr_timesheets_employee ON hr_timesheets (employee_id, work_date);
CREATE INDEX hr_timesheets_partner ON hr_timesheets (partner_id);
