-- Tax groups: several taxes on one line (VAT with a withholding, a federal and a state sales
-- tax), each in its own account and on its own line of the tax report. A compound member is
-- computed on the line's amount plus the taxes of the group's simple members.
CREATE TABLE fin_tax_groups (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE fin_tax_group_members (
    group_id TEXT NOT NULL REFERENCES fin_tax_groups (id),
    seq INTEGER NOT NULL,
    tax_id TEXT NOT NULL REFERENCES fin_taxes (id),
    compound BOOLEAN NOT NULL,
    PRIMARY KEY (group_id, seq),
    UNIQUE (group_id, tax_id)
);

ALTER TABLE fin_invoice_lines ADD COLUMN tax_group_id TEXT REFERENCES fin_tax_groups (id);

-- Every tax of every line: its base and amount in the document's currency. The line's `tax`
-- is their sum; postings and the tax report read these.
CREATE TABLE fin_invoice_line_taxes (
    invoice_id TEXT NOT NULL REFERENCES fin_invoices (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    tax_id TEXT NOT NULL REFERENCES fin_taxes (id),
    base BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no, seq)
);
CREATE INDEX fin_invoice_line_taxes_tax ON fin_invoice_line_taxes (tax_id);

INSERT INTO fin_invoice_line_taxes (invoice_id, line_no, seq, tax_id, base, tax)
    SELECT invoice_id, line_no, 0, tax_id, net, tax FROM fin_invoice_lines WHERE tax_id IS NOT NULL;
