-- What the goods received on a purchase order line are worth in company currency (×10^4),
-- as the receipts valued them: an order in another currency is received at each day's rate,
-- and its bills clear goods received not invoiced at that value. Each bill line records what
-- it cleared, so the last bill of a line clears exactly the rest.
ALTER TABLE purchase_order_lines ADD COLUMN received_value BIGINT NOT NULL DEFAULT 0;
ALTER TABLE purchase_bill_lines ADD COLUMN cleared BIGINT NOT NULL DEFAULT 0;

UPDATE purchase_order_lines SET received_value = COALESCE((
    SELECT SUM(m.total_cost) FROM stock_moves m, purchase_orders o
    WHERE o.id = purchase_order_lines.order_id AND m.company_id = o.company_id
      AND m.move_type = 'receipt' AND m.reference_type = 'purchase_order'
      AND m.reference_id = o.number AND m.item_id = purchase_order_lines.item_id
      AND m.reversal_of_id IS NULL), 0);
