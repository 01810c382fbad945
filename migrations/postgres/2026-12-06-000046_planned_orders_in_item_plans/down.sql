ALTER TABLE mrp_item_plans ALTER COLUMN record SET STORAGE EXTENDED;
DROP INDEX mrp_item_plans_orders_idx;
ALTER TABLE mrp_item_plans DROP COLUMN orders_from;
