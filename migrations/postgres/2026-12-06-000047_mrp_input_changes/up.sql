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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id TEXT NOT NULL,
    run_id TEXT
);
CREATE INDEX mrp_input_changes_company_idx ON mrp_input_changes (company_id, run_id);
-- Set on a net-change run that found no input changed and kept the plan as it was.
ALTER TABLE mrp_runs ADD COLUMN inputs_unchanged BOOLEAN NOT NULL DEFAULT FALSE;

-- The triggers fire once per statement, with the rows it wrote (transition tables): a
-- statement that writes many rows notes each company once. PostgreSQL allows transition
-- tables only on triggers for one event, hence three triggers a table.

-- The companies of the rows a statement wrote: their own `company_id`, or with two arguments
-- (a parent table, the column naming the parent) the parent's.
CREATE FUNCTION note_mrp_input_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written TEXT := CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END;
BEGIN
    IF TG_NARGS = 0 THEN
        EXECUTE format(
            'INSERT INTO mrp_input_changes (company_id) SELECT DISTINCT company_id FROM %I',
            written);
    ELSE
        EXECUTE format(
            'INSERT INTO mrp_input_changes (company_id) '
            'SELECT DISTINCT p.company_id FROM %I r JOIN %I p ON p.id = r.%I',
            written, TG_ARGV[0], TG_ARGV[1]);
    END IF;
    RETURN NULL;
END
$$;

-- Items whose planning fields changed (diesel's updates set every column; a name or a price is not an input).
CREATE FUNCTION note_mrp_item_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mrp_input_changes (company_id)
        SELECT DISTINCT n.company_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.company_id IS DISTINCT FROM n.company_id OR o.sku IS DISTINCT FROM n.sku OR o.item_type IS DISTINCT FROM n.item_type OR o.procurement IS DISTINCT FROM n.procurement OR o.lead_time_days IS DISTINCT FROM n.lead_time_days OR o.active IS DISTINCT FROM n.active;
    RETURN NULL;
END
$$;

-- Balances whose quantity on hand changed (not only what is reserved).
CREATE FUNCTION note_mrp_stock_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mrp_input_changes (company_id)
        SELECT DISTINCT p.company_id FROM new_rows n
        JOIN old_rows o ON o.item_id = n.item_id AND o.location_id = n.location_id AND o.lot = n.lot
        JOIN items p ON p.id = n.item_id
        WHERE o.on_hand <> n.on_hand;
    RETURN NULL;
END
$$;

-- Locations that changed kind or warehouse (a new one holds nothing yet).
CREATE FUNCTION note_mrp_location_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mrp_input_changes (company_id)
        SELECT DISTINCT w.company_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN warehouses w ON w.id IN (n.warehouse_id, o.warehouse_id)
        WHERE o.kind <> n.kind OR o.warehouse_id <> n.warehouse_id;
    RETURN NULL;
END
$$;

-- Locations deleted.
CREATE FUNCTION note_mrp_locations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mrp_input_changes (company_id)
        SELECT DISTINCT w.company_id FROM old_rows o JOIN warehouses w ON w.id = o.warehouse_id;
    RETURN NULL;
END
$$;

-- Planned orders deleted: a run deletes the rows of plans stored before orders lived in
-- their item plans, which are not an input.
CREATE FUNCTION note_mrp_firm_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mrp_input_changes (company_id)
        SELECT DISTINCT company_id FROM old_rows WHERE status <> 'planned';
    RETURN NULL;
END
$$;

CREATE TRIGGER items_mrp_input_added AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER items_mrp_input_changed AFTER UPDATE ON items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_item_changes();
CREATE TRIGGER items_mrp_input_deleted AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER item_planning_mrp_input_added AFTER INSERT ON item_planning
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER item_planning_mrp_input_changed AFTER UPDATE ON item_planning
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER item_planning_mrp_input_deleted AFTER DELETE ON item_planning
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER boms_mrp_input_added AFTER INSERT ON boms
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER boms_mrp_input_changed AFTER UPDATE ON boms
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER boms_mrp_input_deleted AFTER DELETE ON boms
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER bom_lines_mrp_input_added AFTER INSERT ON bom_lines
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('boms', 'bom_id');
CREATE TRIGGER bom_lines_mrp_input_changed AFTER UPDATE ON bom_lines
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('boms', 'bom_id');
CREATE TRIGGER bom_lines_mrp_input_deleted AFTER DELETE ON bom_lines
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('boms', 'bom_id');
CREATE TRIGGER demands_mrp_input_added AFTER INSERT ON demands
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER demands_mrp_input_changed AFTER UPDATE ON demands
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER demands_mrp_input_deleted AFTER DELETE ON demands
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER production_orders_mrp_input_added AFTER INSERT ON production_orders
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER production_orders_mrp_input_changed AFTER UPDATE ON production_orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER production_orders_mrp_input_deleted AFTER DELETE ON production_orders
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER production_order_components_mrp_input_added AFTER INSERT ON production_order_components
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('production_orders', 'order_id');
CREATE TRIGGER production_order_components_mrp_input_changed AFTER UPDATE ON production_order_components
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('production_orders', 'order_id');
CREATE TRIGGER production_order_components_mrp_input_deleted AFTER DELETE ON production_order_components
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('production_orders', 'order_id');
CREATE TRIGGER purchase_orders_mrp_input_added AFTER INSERT ON purchase_orders
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER purchase_orders_mrp_input_changed AFTER UPDATE ON purchase_orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER purchase_orders_mrp_input_deleted AFTER DELETE ON purchase_orders
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER purchase_order_lines_mrp_input_added AFTER INSERT ON purchase_order_lines
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('purchase_orders', 'order_id');
CREATE TRIGGER purchase_order_lines_mrp_input_changed AFTER UPDATE ON purchase_order_lines
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('purchase_orders', 'order_id');
CREATE TRIGGER purchase_order_lines_mrp_input_deleted AFTER DELETE ON purchase_order_lines
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('purchase_orders', 'order_id');
CREATE TRIGGER planned_orders_mrp_input_added AFTER INSERT ON planned_orders
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER planned_orders_mrp_input_changed AFTER UPDATE ON planned_orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows();
CREATE TRIGGER planned_orders_mrp_input_deleted AFTER DELETE ON planned_orders
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_firm_orders_deleted();
CREATE TRIGGER stock_balances_mrp_input_added AFTER INSERT ON stock_balances
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('items', 'item_id');
CREATE TRIGGER stock_balances_mrp_input_changed AFTER UPDATE ON stock_balances
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_stock_changes();
CREATE TRIGGER stock_balances_mrp_input_deleted AFTER DELETE ON stock_balances
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_input_rows('items', 'item_id');
CREATE TRIGGER locations_mrp_input_changed AFTER UPDATE ON locations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_location_changes();
CREATE TRIGGER locations_mrp_input_deleted AFTER DELETE ON locations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_mrp_locations_deleted();
