-- What a planning run reads, changed since a run last took note of it: one row for each
-- input row written (items' planning fields, planning data, stock on hand in stock
-- locations, BOMs and their lines, demand, production orders and their components,
-- purchase orders and their lines, firm planned orders), by the triggers below, so no code
-- path that changes an input can forget it. A run claims the company's rows before it loads
-- (run_id) and deletes them in the transaction that saves its plan; rows written while it
-- runs are not claimed and stay for the next. A net-change run that finds none keeps the
-- stored plan without reading the inputs. The rows are only inserted, never updated by the
-- writers: no row every writer of a company updates, so stock postings do not queue on it.
CREATE TABLE mrp_input_changes (
    id INTEGER PRIMARY KEY,
    company_id TEXT NOT NULL,
    run_id TEXT
);
CREATE INDEX mrp_input_changes_company_idx ON mrp_input_changes (company_id, run_id);
-- Set on a net-change run that found no input changed and kept the plan as it was.
ALTER TABLE mrp_runs ADD COLUMN inputs_unchanged BOOLEAN NOT NULL DEFAULT FALSE;

-- SQLite has one writer at a time, so a trigger may skip its row when the company already
-- has one no run has claimed: a run's claim and a writer's check never interleave, and what
-- the writer wrote before the claim is read by the run. (PostgreSQL writers run side by
-- side; there every change notes itself.) A stock posting then costs two index reads here,
-- not an insert.

-- Diesel's updates set every column: the trigger looks at what changed (a name or a
-- price is not an input).
CREATE TRIGGER items_mrp_input_added AFTER INSERT ON items
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER items_mrp_input_changed AFTER UPDATE ON items
WHEN (NEW.company_id IS NOT OLD.company_id OR NEW.sku IS NOT OLD.sku OR NEW.item_type IS NOT OLD.item_type OR NEW.procurement IS NOT OLD.procurement OR NEW.lead_time_days IS NOT OLD.lead_time_days OR NEW.active IS NOT OLD.active) AND NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER items_mrp_input_deleted AFTER DELETE ON items
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER item_planning_mrp_input_added AFTER INSERT ON item_planning
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER item_planning_mrp_input_changed AFTER UPDATE ON item_planning
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER item_planning_mrp_input_deleted AFTER DELETE ON item_planning
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER boms_mrp_input_added AFTER INSERT ON boms
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER boms_mrp_input_changed AFTER UPDATE ON boms
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER boms_mrp_input_deleted AFTER DELETE ON boms
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER demands_mrp_input_added AFTER INSERT ON demands
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER demands_mrp_input_changed AFTER UPDATE ON demands
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER demands_mrp_input_deleted AFTER DELETE ON demands
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER production_orders_mrp_input_added AFTER INSERT ON production_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER production_orders_mrp_input_changed AFTER UPDATE ON production_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER production_orders_mrp_input_deleted AFTER DELETE ON production_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER purchase_orders_mrp_input_added AFTER INSERT ON purchase_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER purchase_orders_mrp_input_changed AFTER UPDATE ON purchase_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER purchase_orders_mrp_input_deleted AFTER DELETE ON purchase_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
-- A run deletes the rows of plans stored before orders lived in their item plans: not an
-- input.
CREATE TRIGGER planned_orders_mrp_input_added AFTER INSERT ON planned_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER planned_orders_mrp_input_changed AFTER UPDATE ON planned_orders
WHEN NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = NEW.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER planned_orders_mrp_input_deleted AFTER DELETE ON planned_orders
WHEN OLD.status <> 'planned' AND NOT EXISTS (SELECT 1 FROM mrp_input_changes WHERE company_id = OLD.company_id AND run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER bom_lines_mrp_input_added AFTER INSERT ON bom_lines
WHEN NOT EXISTS (SELECT 1 FROM boms p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.bom_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM boms WHERE id = NEW.bom_id; END;
CREATE TRIGGER bom_lines_mrp_input_changed AFTER UPDATE ON bom_lines
WHEN NOT EXISTS (SELECT 1 FROM boms p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.bom_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM boms WHERE id = NEW.bom_id; END;
CREATE TRIGGER bom_lines_mrp_input_deleted AFTER DELETE ON bom_lines
WHEN NOT EXISTS (SELECT 1 FROM boms p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = OLD.bom_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM boms WHERE id = OLD.bom_id; END;
CREATE TRIGGER production_order_components_mrp_input_added AFTER INSERT ON production_order_components
WHEN NOT EXISTS (SELECT 1 FROM production_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM production_orders WHERE id = NEW.order_id; END;
CREATE TRIGGER production_order_components_mrp_input_changed AFTER UPDATE ON production_order_components
WHEN NOT EXISTS (SELECT 1 FROM production_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM production_orders WHERE id = NEW.order_id; END;
CREATE TRIGGER production_order_components_mrp_input_deleted AFTER DELETE ON production_order_components
WHEN NOT EXISTS (SELECT 1 FROM production_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = OLD.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM production_orders WHERE id = OLD.order_id; END;
CREATE TRIGGER purchase_order_lines_mrp_input_added AFTER INSERT ON purchase_order_lines
WHEN NOT EXISTS (SELECT 1 FROM purchase_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM purchase_orders WHERE id = NEW.order_id; END;
CREATE TRIGGER purchase_order_lines_mrp_input_changed AFTER UPDATE ON purchase_order_lines
WHEN NOT EXISTS (SELECT 1 FROM purchase_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM purchase_orders WHERE id = NEW.order_id; END;
CREATE TRIGGER purchase_order_lines_mrp_input_deleted AFTER DELETE ON purchase_order_lines
WHEN NOT EXISTS (SELECT 1 FROM purchase_orders p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = OLD.order_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM purchase_orders WHERE id = OLD.order_id; END;
-- Balances whose quantity on hand changed (not only what is reserved).
CREATE TRIGGER stock_balances_mrp_input_added AFTER INSERT ON stock_balances
WHEN NOT EXISTS (SELECT 1 FROM items p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.item_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM items WHERE id = NEW.item_id; END;
CREATE TRIGGER stock_balances_mrp_input_changed AFTER UPDATE ON stock_balances
WHEN NEW.on_hand <> OLD.on_hand AND NOT EXISTS (SELECT 1 FROM items p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.item_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM items WHERE id = NEW.item_id; END;
CREATE TRIGGER stock_balances_mrp_input_deleted AFTER DELETE ON stock_balances
WHEN NOT EXISTS (SELECT 1 FROM items p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = OLD.item_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM items WHERE id = OLD.item_id; END;
-- Locations that changed kind or warehouse (a new one holds nothing yet).
CREATE TRIGGER locations_mrp_input_changed AFTER UPDATE ON locations
WHEN (NEW.kind <> OLD.kind OR NEW.warehouse_id <> OLD.warehouse_id) AND NOT EXISTS (SELECT 1 FROM warehouses p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = NEW.warehouse_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM warehouses WHERE id = NEW.warehouse_id; END;
CREATE TRIGGER locations_mrp_input_deleted AFTER DELETE ON locations
WHEN NOT EXISTS (SELECT 1 FROM warehouses p JOIN mrp_input_changes c ON c.company_id = p.company_id
    WHERE p.id = OLD.warehouse_id AND c.run_id IS NULL)
BEGIN INSERT INTO mrp_input_changes (company_id) SELECT company_id FROM warehouses WHERE id = OLD.warehouse_id; END;
