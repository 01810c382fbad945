-- Budgets: planned amounts per account and period (and branch), in versions; an approved
-- budget is fixed, a new version is a new budget.
CREATE TABLE fin_budgets (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE fin_budget_lines (
    budget_id TEXT NOT NULL REFERENCES fin_budgets (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    period_id TEXT NOT NULL REFERENCES fin_periods (id),
    branch_id TEXT NOT NULL,
    -- Money ×10^4, on the account's normal side.
    amount BIGINT NOT NULL,
    PRIMARY KEY (budget_id, account_id, period_id, branch_id)
);
