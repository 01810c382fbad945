DROP TABLE fin_allocations;
DROP TABLE fin_payments;
DROP TABLE fin_invoice_lines;
DROP TABLE fin_invoices;
DROP TABLE fin_payment_terms;
DROP TABLE fin_taxes;
DROP TABLE fin_settings;

CREATE TABLE fin_account_rules_old (
    company_id TEXT NOT NULL REFERENCES companies (id),
    event TEXT NOT NULL CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap')),
    scope_type TEXT NOT NULL CHECK (scope_type IN ('default', 'warehouse', 'item_category')),
    -- The warehouse or item category id; '' for the default.
    scope_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, event, scope_type, scope_id)
);
INSERT INTO fin_account_rules_old SELECT company_id, event, scope_type, scope_id, account_id, updated_at FROM fin_account_rules WHERE event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap');
DROP TABLE fin_account_rules;
ALTER TABLE fin_account_rules_old RENAME TO fin_account_rules;
