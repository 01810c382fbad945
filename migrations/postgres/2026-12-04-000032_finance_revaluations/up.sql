-- Unrealised exchange differences: a run at a date values every document and payment in
-- another currency still open at the rate of that date, posts the differences to their
-- receivable (payable) against unrealised gains and losses, and reverses that entry on
-- `reverse_on` (the first day of the next period). Each line keeps what was open, at which
-- rate, its booked and its revalued value in company currency (money ×10^4, rates ×10^9).
CREATE TABLE fin_revaluations (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id),
    revaluation_date DATE NOT NULL,
    reverse_on DATE NOT NULL,
    entry_id TEXT NOT NULL,
    reversal_entry_id TEXT NOT NULL,
    gain BIGINT NOT NULL,
    loss BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX fin_revaluations_company_date ON fin_revaluations (company_id, revaluation_date);

CREATE TABLE fin_revaluation_lines (
    revaluation_id TEXT NOT NULL REFERENCES fin_revaluations (id),
    line_no INTEGER NOT NULL,
    invoice_id TEXT,
    payment_id TEXT,
    partner_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    open_in_currency BIGINT NOT NULL,
    exchange_rate BIGINT NOT NULL,
    booked BIGINT NOT NULL,
    revalued BIGINT NOT NULL,
    PRIMARY KEY (revaluation_id, line_no)
);
