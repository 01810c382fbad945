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
-- labour and overhead absorbed, variances) get account rules of their own.
ALTER TABLE fin_account_rules DROP CONSTRAINT fin_account_rules_event_check;
ALTER TABLE fin_account_rules ADD CONSTRAINT fin_account_rules_event_check CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap', 'sales.receivable', 'sales.revenue', 'purchase.payable', 'purchase.expense', 'purchase.price_difference', 'payment.discount_granted', 'payment.discount_received', 'payment.write_off', 'exchange.gain', 'exchange.loss', 'exchange.unrealised_gain', 'exchange.unrealised_loss', 'production.wip', 'production.absorption', 'production.variance'));
