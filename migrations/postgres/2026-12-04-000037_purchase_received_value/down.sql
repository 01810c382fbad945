ALTER TABLE purchase_bill_lines DROP COLUMN cleared;
ALTER TABLE purchase_order_lines DROP COLUMN received_value;
