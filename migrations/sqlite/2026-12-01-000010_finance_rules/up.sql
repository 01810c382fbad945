-- Account determination as data: which account a business event posts to, per company, by
-- default or for one warehouse or item category (the most specific rule wins).
CREATE TABLE fin_account_rules (
    company_id TEXT NOT NULL REFERENCES companies (id),
    event TEXT NOT NULL CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap')),
    scope_type TEXT NOT NULL CHECK (scope_type IN ('default', 'warehouse', 'item_category')),
    -- The warehouse or item category id; '' for the default.
    scope_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, event, scope_type, scope_id)
);
