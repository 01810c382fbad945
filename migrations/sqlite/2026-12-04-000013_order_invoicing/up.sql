-- Invoicing sales orders: a line discount on invoice lines (as orders carry one), the order's
-- invoicing policy, and which order lines each invoice bills.
ALTER TABLE fin_invoice_lines ADD COLUMN discount_percent BIGINT NOT NULL DEFAULT 0;

ALTER TABLE crm_sales_orders ADD COLUMN invoice_policy TEXT NOT NULL DEFAULT 'delivered'
    CHECK (invoice_policy IN ('delivered', 'ordered'));

-- One row per order line an invoice bills. An invoice that is cancelled or a draft that is
-- deleted no longer counts: the invoiced quantity is read through the invoice's status.
CREATE TABLE crm_order_invoice_lines (
    invoice_id TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES crm_sales_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    quantity BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);
CREATE INDEX crm_order_invoice_lines_order_idx ON crm_order_invoice_lines (order_id);
