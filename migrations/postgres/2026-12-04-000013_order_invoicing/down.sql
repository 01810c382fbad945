DROP TABLE crm_order_invoice_lines;
ALTER TABLE crm_sales_orders DROP COLUMN invoice_policy;
ALTER TABLE fin_invoice_lines DROP COLUMN discount_percent;
