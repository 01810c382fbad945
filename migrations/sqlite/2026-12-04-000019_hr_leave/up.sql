-- HR working time and leave: work calendars (hours per weekday), public holidays per branch,
-- leave types with their accrual and carry-over rules, and leave requests counted in working
-- days.
CREATE TABLE hr_calendars (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Hours worked on each weekday ×10^6, Monday first; 0 is a day off.
    mon BIGINT NOT NULL CHECK (mon >= 0),
    tue BIGINT NOT NULL CHECK (tue >= 0),
    wed BIGINT NOT NULL CHECK (wed >= 0),
    thu BIGINT NOT NULL CHECK (thu >= 0),
    fri BIGINT NOT NULL CHECK (fri >= 0),
    sat BIGINT NOT NULL CHECK (sat >= 0),
    sun BIGINT NOT NULL CHECK (sun >= 0),
    -- The calendar of employees hired without one.
    is_default BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

ALTER TABLE hr_employees ADD COLUMN calendar_id TEXT REFERENCES hr_calendars (id);

CREATE TABLE hr_holidays (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    branch_id TEXT NOT NULL REFERENCES branches (id),
    day DATE NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (branch_id, day)
);

CREATE TABLE hr_leave_types (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    paid BOOLEAN NOT NULL,
    -- Days earned in a full year at full time ×10^6, earned month by month; 0: not accrued
    -- (sick leave: recorded, not budgeted).
    days_per_year BIGINT NOT NULL CHECK (days_per_year >= 0),
    -- Days carried into the next year at most ×10^6.
    carry_over_cap BIGINT NOT NULL CHECK (carry_over_cap >= 0),
    -- Carried days not taken by the end of this month of the next year expire; NULL: never.
    carry_over_expires_month INTEGER CHECK (carry_over_expires_month BETWEEN 1 AND 12),
    -- Requests may take the balance below zero.
    allow_negative BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE hr_leave_requests (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    leave_type_id TEXT NOT NULL REFERENCES hr_leave_types (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- The first day starts at midday / the last day ends at midday.
    half_day_start BOOLEAN NOT NULL,
    half_day_end BOOLEAN NOT NULL,
    -- Working days taken ×10^6, by the employee's calendar and branch holidays.
    days BIGINT NOT NULL CHECK (days > 0),
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'refused', 'cancelled')),
    reason TEXT,
    decided_by TEXT,
    decided_at TIMESTAMP,
    decision_note TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX hr_leave_requests_employee ON hr_leave_requests (employee_id, starts_on);
CREATE INDEX hr_leave_requests_period ON hr_leave_requests (company_id, starts_on);
