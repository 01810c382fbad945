DROP TABLE purchase_bill_lines;
ALTER TABLE fin_invoice_lines DROP COLUMN clears;
ALTER TABLE fin_invoices DROP COLUMN released_at;
ALTER TABLE fin_invoices DROP COLUMN released_by;
ALTER TABLE fin_invoices DROP COLUMN hold_reason;
ALTER TABLE fin_settings DROP COLUMN match_quantity_tolerance;
ALTER TABLE fin_settings DROP COLUMN match_price_tolerance;
