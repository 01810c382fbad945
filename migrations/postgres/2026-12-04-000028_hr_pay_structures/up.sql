-- Pay structures: which of the company's pay components a group of employees is paid by
-- (office staff, plant workers on hourly pay, managers). A contract names its structure;
-- a contract without one is paid by every active component of the company.
CREATE TABLE hr_pay_structures (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE hr_pay_structure_components (
    structure_id TEXT NOT NULL REFERENCES hr_pay_structures (id),
    component_id TEXT NOT NULL REFERENCES hr_pay_components (id),
    PRIMARY KEY (structure_id, component_id)
);

ALTER TABLE hr_contracts ADD COLUMN pay_structure_id TEXT REFERENCES hr_pay_structures (id);
