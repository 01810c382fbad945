-- Finance: the chart of accounts, fiscal periods, journals, double-entry journal entries and
-- the balance caches statements read. Amounts are Money ×10^4 in company currency.

CREATE TABLE fin_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    parent_id TEXT REFERENCES fin_accounts (id),
    reconcilable BOOLEAN NOT NULL DEFAULT FALSE,
    currency TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE fin_periods (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    fiscal_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, fiscal_year, number)
);
CREATE INDEX fin_periods_dates_idx ON fin_periods (company_id, starts_on);

CREATE TABLE fin_journals (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general', 'sales', 'purchases', 'bank', 'cash', 'stock', 'payroll')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE fin_entries (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    journal_id TEXT NOT NULL REFERENCES fin_journals (id),
    -- Gapless per journal and year, given at posting; drafts have none.
    number TEXT,
    entry_date DATE NOT NULL,
    period_id TEXT REFERENCES fin_periods (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'posted')),
    description TEXT,
    reference_type TEXT,
    reference_id TEXT,
    reverses_id TEXT REFERENCES fin_entries (id),
    reversed_by_id TEXT REFERENCES fin_entries (id),
    -- Sum of the debits (= sum of the credits), Money ×10^4.
    total BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    posted_by TEXT REFERENCES users (id),
    posted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX fin_entries_date_idx ON fin_entries (company_id, entry_date);
CREATE INDEX fin_entries_reference_idx ON fin_entries (reference_type, reference_id);

CREATE TABLE fin_entry_lines (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL REFERENCES fin_entries (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    -- Money ×10^4; one of the two is zero.
    debit BIGINT NOT NULL CHECK (debit >= 0),
    credit BIGINT NOT NULL CHECK (credit >= 0),
    branch_id TEXT REFERENCES branches (id),
    cost_center TEXT,
    project TEXT,
    partner_id TEXT REFERENCES partners (id),
    description TEXT,
    UNIQUE (entry_id, line_no),
    CHECK (debit = 0 OR credit = 0)
);
CREATE INDEX fin_entry_lines_account_idx ON fin_entry_lines (account_id);

-- Posted debits and credits per account, period and branch ('' for none), kept in the
-- posting transaction: statements read these, so their cost does not grow with the lines.
CREATE TABLE fin_balances (
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    period_id TEXT NOT NULL REFERENCES fin_periods (id),
    branch_id TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (account_id, period_id, branch_id)
);
CREATE INDEX fin_balances_period_idx ON fin_balances (period_id);
