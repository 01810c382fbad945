DROP TABLE fin_allocations;
DROP TABLE fin_payments;
DROP TABLE fin_invoice_lines;
DROP TABLE fin_invoices;
DROP TABLE fin_payment_terms;
DROP TABLE fin_taxes;
DROP TABLE fin_settings;

DELETE FROM fin_account_rules WHERE event NOT IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap');
ALTER TABLE fin_account_rules DROP CONSTRAINT fin_account_rules_event_check;
ALTER TABLE fin_account_rules ADD CONSTRAINT fin_account_rules_event_check CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap'));
