-- Bank statements (imported from the bank's CSV or camt.053, or posted as JSON), their lines,
-- and the reconciliations that match each line with payments, invoices paid on the spot, or
-- direct postings such as fees. Amounts are Money ×10^4; a line's amount is signed (money in
-- is positive).
CREATE TABLE fin_bank_statements (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    -- The bank's statement id: one import per statement and account.
    reference TEXT NOT NULL,
    statement_date DATE NOT NULL,
    opening_balance BIGINT,
    closing_balance BIGINT,
    source TEXT NOT NULL CHECK (source IN ('api', 'csv', 'camt053')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, reference)
);

CREATE TABLE fin_bank_lines (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    statement_id TEXT NOT NULL REFERENCES fin_bank_statements (id),
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    line_no INTEGER NOT NULL,
    booking_date DATE NOT NULL,
    value_date DATE,
    amount BIGINT NOT NULL CHECK (amount <> 0),
    counterparty_name TEXT,
    counterparty_account TEXT,
    remittance TEXT,
    bank_reference TEXT,
    -- How much of |amount| is reconciled.
    matched BIGINT NOT NULL DEFAULT 0 CHECK (matched >= 0),
    UNIQUE (statement_id, line_no)
);
CREATE INDEX fin_bank_lines_account_idx ON fin_bank_lines (account_id, booking_date);

CREATE TABLE fin_reconciliations (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    bank_line_id TEXT NOT NULL REFERENCES fin_bank_lines (id),
    payment_id TEXT REFERENCES fin_payments (id),
    entry_id TEXT REFERENCES fin_entries (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX fin_reconciliations_line_idx ON fin_reconciliations (bank_line_id);
CREATE INDEX fin_reconciliations_payment_idx ON fin_reconciliations (payment_id);

-- How much of a payment bank lines account for.
ALTER TABLE fin_payments ADD COLUMN reconciled BIGINT NOT NULL DEFAULT 0;
