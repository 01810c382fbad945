-- The engine's planned orders live in their item's plan (the record's JSON) instead of one
-- row each: a run writes one row per item, not one per order. Order k of a plan has the id
-- `orders_from` plus k (its last 24 bits hold k), so an id names its plan. Firm orders, and
-- plans stored before this change, keep their rows in planned_orders.
ALTER TABLE mrp_item_plans ADD COLUMN orders_from TEXT;
-- The earliest release among them (NULL: none), so a list of what releases by a date skips
-- the plans with nothing to release by then without reading them.
ALTER TABLE mrp_item_plans ADD COLUMN first_release DATE;
CREATE UNIQUE INDEX mrp_item_plans_orders_idx ON mrp_item_plans (company_id, orders_from);
-- The list pages the rows by id within a company: one index for both, so a page is a range
-- read instead of every row of the company sorted.
DROP INDEX planned_orders_company_idx;
CREATE INDEX planned_orders_company_id_idx ON planned_orders (company_id, id);
-- A net-change run replaces the messages of the items it plans again, and keeps the rest.
CREATE INDEX mrp_messages_item_idx ON mrp_messages (item_id);
-- A plan's record is a few kilobytes of digits written once per run: compressing it
-- (pglz, the default) took longer than writing it.
ALTER TABLE mrp_item_plans ALTER COLUMN record SET STORAGE EXTERNAL;
