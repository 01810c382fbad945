ALTER TABLE fin_invoices DROP COLUMN instalments;
ALTER TABLE fin_payment_terms DROP COLUMN instalments;
