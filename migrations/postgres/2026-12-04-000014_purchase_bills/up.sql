-- Price differences of supplier bills get an account rule of their own.
ALTER TABLE fin_account_rules DROP CONSTRAINT fin_account_rules_event_check;
ALTER TABLE fin_account_rules ADD CONSTRAINT fin_account_rules_event_check CHECK (event IN ('stock.inventory', 'stock.receipt', 'stock.issue', 'stock.adjustment', 'stock.scrap', 'sales.receivable', 'sales.revenue', 'purchase.payable', 'purchase.expense', 'purchase.price_difference', 'payment.discount_granted', 'payment.discount_received', 'payment.write_off'));

-- Supplier bills against purchase orders, matched three ways (ordered, received, billed):
-- how far price and quantity may differ before a bill is held, the hold and its release, the
-- goods-received-not-invoiced value a bill line clears (the rest of its net is a price
-- difference), and which purchase order lines each bill bills.
ALTER TABLE fin_settings ADD COLUMN match_price_tolerance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_settings ADD COLUMN match_quantity_tolerance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fin_invoices ADD COLUMN hold_reason TEXT;
ALTER TABLE fin_invoices ADD COLUMN released_by TEXT;
ALTER TABLE fin_invoices ADD COLUMN released_at TIMESTAMP;
ALTER TABLE fin_invoice_lines ADD COLUMN clears BIGINT;

CREATE TABLE purchase_bill_lines (
    invoice_id TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    quantity BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);
CREATE INDEX purchase_bill_lines_order_idx ON purchase_bill_lines (order_id);
