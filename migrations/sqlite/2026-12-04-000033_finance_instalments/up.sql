-- Payment terms in instalments: `instalments` holds the shares as JSON,
-- [{"percent": 300000, "days": 0}, {"percent": 700000, "days": 30}] (percent ×10^4; NULL: one
-- due date, net_days). A document under such terms keeps its schedule, computed once when it
-- is made: [{"due_date": "2026-03-02", "amount": 300000}, ...] (money ×10^4 in its currency).
ALTER TABLE fin_payment_terms ADD COLUMN instalments TEXT;
ALTER TABLE fin_invoices ADD COLUMN instalments TEXT;
