DROP INDEX mrp_messages_item_idx;
ALTER TABLE mrp_item_plans ALTER COLUMN record SET STORAGE EXTENDED;
DROP INDEX planned_orders_company_id_idx;
CREATE INDEX planned_orders_company_idx ON planned_orders (company_id);
DROP INDEX mrp_item_plans_orders_idx;
ALTER TABLE mrp_item_plans DROP COLUMN orders_from;
ALTER TABLE mrp_item_plans DROP COLUMN first_release;
