-- The account rules of invoices, bills and payments join those of stock moves (SQLite
-- changes a CHECK by rebuilding the table).
CREATE TABLE fin_account_rules_new (
    company_id TEXT NOT NULL REFERENCES companies (id),
    event TEXT NOT NULL CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap', 'sales.receivable', 'sales.revenue', 'purchase.payable', 'purchase.expense', 'payment.discount_granted', 'payment.discount_received', 'payment.write_off')),
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

-- Receivables and payables: taxes, payment terms, invoices of customers and bills of
-- suppliers with their credit and debit notes, payments, and the allocations that settle
-- them. Amounts are Money ×10^4 in company currency, quantities and prices ×10^6.

-- Finance settings of a company: how document taxes round, and the difference a payment
-- may leave that is written off instead of staying open.
CREATE TABLE fin_settings (
    company_id TEXT PRIMARY KEY NOT NULL REFERENCES companies (id),
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('line', 'document')),
    write_off_tolerance BIGINT NOT NULL CHECK (write_off_tolerance >= 0),
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE fin_taxes (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vat', 'sales_tax', 'withholding')),
    -- Percent ×10^4 (19% = 190000).
    rate BIGINT NOT NULL CHECK (rate >= 0 AND rate <= 1000000),
    price_included BOOLEAN NOT NULL,
    -- Output tax of sales, input tax of purchases.
    sales_account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    purchase_account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE fin_payment_terms (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    net_days INTEGER NOT NULL CHECK (net_days >= 0),
    discount_days INTEGER NOT NULL CHECK (discount_days >= 0),
    -- Percent ×10^4 of the total granted when paid within discount_days.
    discount_rate BIGINT NOT NULL CHECK (discount_rate >= 0 AND discount_rate < 1000000),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE fin_invoices (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    kind TEXT NOT NULL CHECK (kind IN ('customer_invoice', 'customer_credit_note', 'supplier_bill', 'supplier_debit_note')),
    -- The number of its journal entry, given at posting.
    number TEXT,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    branch_id TEXT REFERENCES branches (id),
    invoice_date DATE NOT NULL,
    due_date DATE NOT NULL,
    payment_terms_id TEXT REFERENCES fin_payment_terms (id),
    -- Discount for early payment: the last day and the rate (percent ×10^4).
    discount_until DATE,
    discount_rate BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'posted', 'cancelled')),
    reference TEXT,
    notes TEXT,
    -- The invoice a credit or debit note corrects.
    corrects_id TEXT REFERENCES fin_invoices (id),
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('line', 'document')),
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL,
    -- What is still to be settled; changed only by guarded updates.
    open_amount BIGINT NOT NULL CHECK (open_amount >= 0),
    entry_id TEXT REFERENCES fin_entries (id),
    cancel_entry_id TEXT REFERENCES fin_entries (id),
    cancelled_on DATE,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (open_amount <= total)
);
CREATE INDEX fin_invoices_partner_idx ON fin_invoices (company_id, partner_id, invoice_date);
CREATE INDEX fin_invoices_open_idx ON fin_invoices (company_id, kind, status, due_date);

CREATE TABLE fin_invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES fin_invoices (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    description TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    quantity BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    tax_id TEXT REFERENCES fin_taxes (id),
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    cost_center TEXT,
    project TEXT,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE fin_payments (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    kind TEXT NOT NULL CHECK (kind IN ('customer_receipt', 'supplier_payment')),
    number TEXT,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    branch_id TEXT REFERENCES branches (id),
    payment_date DATE NOT NULL,
    -- The bank or cash account money came into or went out of.
    account_id TEXT NOT NULL REFERENCES fin_accounts (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- What is not yet allocated to invoices: a credit of the partner (overpayment, advance).
    unallocated BIGINT NOT NULL CHECK (unallocated >= 0),
    reference TEXT,
    status TEXT NOT NULL CHECK (status IN ('posted', 'cancelled')),
    entry_id TEXT REFERENCES fin_entries (id),
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (unallocated <= amount)
);
CREATE INDEX fin_payments_partner_idx ON fin_payments (company_id, partner_id, payment_date);

-- One settlement of an invoice (or bill) by a payment or a credit (debit) note; a discount
-- or write-off settles more than the money moved and posts an entry of its own.
CREATE TABLE fin_allocations (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    invoice_id TEXT NOT NULL REFERENCES fin_invoices (id),
    payment_id TEXT REFERENCES fin_payments (id),
    credit_note_id TEXT REFERENCES fin_invoices (id),
    allocated_on DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    discount BIGINT NOT NULL CHECK (discount >= 0),
    write_off BIGINT NOT NULL CHECK (write_off >= 0),
    entry_id TEXT REFERENCES fin_entries (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL)),
    CHECK (amount + discount + write_off > 0)
);
CREATE INDEX fin_allocations_invoice_idx ON fin_allocations (invoice_id);
CREATE INDEX fin_allocations_payment_idx ON fin_allocations (payment_id);
CREATE INDEX fin_allocations_credit_idx ON fin_allocations (credit_note_id);
