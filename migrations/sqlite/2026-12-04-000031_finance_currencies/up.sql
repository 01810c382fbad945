-- Documents and payments in any currency. Amounts already stored stay in the document's own
-- currency (`currency`); `exchange_rate` (×10^9, company currency per unit, 1 for the
-- company's own) is the rate of the document's date, and the `*_company` columns hold what
-- the ledger holds: the value in company currency (money ×10^4). Each allocation records
-- what it cleared of the invoice and took of the payment or note in company currency; the
-- difference less discount and write-off is the realised exchange difference.
ALTER TABLE fin_invoices ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE fin_invoices ADD COLUMN exchange_rate BIGINT NOT NULL DEFAULT 1000000000;
ALTER TABLE fin_invoices ADD COLUMN total_company BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_invoices ADD COLUMN open_company BIGINT NOT NULL DEFAULT 0;
UPDATE fin_invoices SET currency = (SELECT c.currency FROM companies c WHERE c.id = fin_invoices.company_id),
    total_company = total, open_company = open_amount;

ALTER TABLE fin_payments ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE fin_payments ADD COLUMN exchange_rate BIGINT NOT NULL DEFAULT 1000000000;
ALTER TABLE fin_payments ADD COLUMN amount_company BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_payments ADD COLUMN unallocated_company BIGINT NOT NULL DEFAULT 0;
UPDATE fin_payments SET currency = (SELECT c.currency FROM companies c WHERE c.id = fin_payments.company_id),
    amount_company = amount, unallocated_company = unallocated;

ALTER TABLE fin_allocations ADD COLUMN settled_company BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_allocations ADD COLUMN amount_company BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_allocations ADD COLUMN exchange_difference BIGINT NOT NULL DEFAULT 0;
UPDATE fin_allocations SET settled_company = amount + discount + write_off, amount_company = amount;

-- Exchange gains and losses, realised and unrealised, and production (work in progress,
-- labour and overhead absorbed, variances) get account rules of their own
-- (SQLite changes a CHECK by rebuilding the table).
CREATE TABLE fin_account_rules_new (
    company_id TEXT NOT NULL REFERENCES companies (id),
    event TEXT NOT NULL CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap', 'sales.receivable', 'sales.revenue', 'purchase.payable', 'purchase.expense', 'purchase.price_difference', 'payment.discount_granted', 'payment.discount_received', 'payment.write_off', 'exchange.gain', 'exchange.loss', 'exchange.unrealised_gain', 'exchange.unrealised_loss', 'production.wip', 'production.absorption', 'production.variance')),
    scope_type TEXT NOT NULL CHECK (scope_type IN ('default', 'warehouse', 'item_category')),
    -- The warehouse or item category id; '' for the default.
    scope_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, event, scope_type, scope_id)
);
INSERT INTO fin_account_rules_new SELECT company_id, event, scope_type, scope_id, account_id, updated_at FROM fin_account_rules;
DROP TABLE fin_account_rules;
ALTER TABLE fin_account_rules_new RENAME TO fin_account_rules;
