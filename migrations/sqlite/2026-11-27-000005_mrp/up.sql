-- MRP and MRP II: work centers, planning data, bills of materials, routings, demand,
-- runs and the current plan, production orders. Quantities are Qty ×10^6 in the item's base
-- unit, hours are Qty ×10^6, money is ×10^4, prices ×10^6.

CREATE TABLE work_centers (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    hours_per_day BIGINT NOT NULL CHECK (hours_per_day > 0 AND hours_per_day <= 24000000),
    units INTEGER NOT NULL CHECK (units > 0),
    efficiency BIGINT NOT NULL CHECK (efficiency > 0),
    utilization BIGINT NOT NULL CHECK (utilization > 0 AND utilization <= 1000000),
    -- Seven characters, Monday first: 1 works, 0 does not.
    working_days TEXT NOT NULL,
    cost_per_hour BIGINT NOT NULL CHECK (cost_per_hour >= 0),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE work_center_days_off (
    work_center_id TEXT NOT NULL REFERENCES work_centers (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    PRIMARY KEY (work_center_id, day)
);

CREATE TABLE item_planning (
    item_id TEXT PRIMARY KEY NOT NULL REFERENCES items (id),
    company_id TEXT NOT NULL REFERENCES companies (id),
    safety_stock BIGINT NOT NULL CHECK (safety_stock >= 0),
    -- The lot-sizing rule and its parameters, as JSON.
    lot_sizing TEXT NOT NULL,
    min_order BIGINT,
    max_order BIGINT,
    order_multiple BIGINT,
    time_fence_days INTEGER NOT NULL,
    phantom BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX item_planning_company_idx ON item_planning (company_id);

CREATE TABLE boms (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    revision TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'obsolete')),
    -- The lines are the components of this many units of the item.
    output_quantity BIGINT NOT NULL CHECK (output_quantity > 0),
    notes TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, revision)
);
CREATE UNIQUE INDEX boms_one_active_idx ON boms (item_id) WHERE status = 'active';
CREATE INDEX boms_company_idx ON boms (company_id, status);

CREATE TABLE bom_lines (
    id TEXT PRIMARY KEY NOT NULL,
    bom_id TEXT NOT NULL REFERENCES boms (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    component_id TEXT NOT NULL REFERENCES items (id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    entered_quantity BIGINT NOT NULL,
    entered_uom_id TEXT NOT NULL REFERENCES uoms (id),
    -- Share lost in production, ×10^6 (50000 = 5%).
    scrap BIGINT NOT NULL CHECK (scrap >= 0 AND scrap < 1000000),
    effective_from DATE,
    effective_to DATE,
    UNIQUE (bom_id, line_no)
);
CREATE INDEX bom_lines_component_idx ON bom_lines (component_id);

CREATE TABLE routing_operations (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    seq INTEGER NOT NULL CHECK (seq > 0),
    name TEXT NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_centers (id),
    setup_hours BIGINT NOT NULL CHECK (setup_hours >= 0),
    run_hours BIGINT NOT NULL CHECK (run_hours >= 0),
    queue_hours BIGINT NOT NULL CHECK (queue_hours >= 0),
    move_hours BIGINT NOT NULL CHECK (move_hours >= 0),
    UNIQUE (item_id, seq)
);
CREATE INDEX routing_operations_wc_idx ON routing_operations (work_center_id);

-- Independent demand: master production schedule, forecasts, confirmed sales.
CREATE TABLE demands (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    kind TEXT NOT NULL CHECK (kind IN ('mps', 'forecast', 'sales_order')),
    due_date DATE NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    source_type TEXT,
    source_id TEXT,
    note TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX demands_item_idx ON demands (company_id, item_id, due_date);
CREATE UNIQUE INDEX demands_source_idx ON demands (company_id, source_type, source_id);

CREATE TABLE mrp_runs (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    mode TEXT NOT NULL CHECK (mode IN ('regenerative', 'net_change')),
    start_date DATE NOT NULL,
    bucket TEXT NOT NULL CHECK (bucket IN ('day', 'week', 'month')),
    buckets INTEGER NOT NULL,
    progress TEXT NOT NULL,
    items_planned INTEGER NOT NULL,
    items_replanned INTEGER NOT NULL,
    planned_orders INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    duration_ms BIGINT,
    -- Where the time went: reading the data, the engine, writing the plan.
    load_ms BIGINT,
    plan_ms BIGINT,
    save_ms BIGINT,
    error TEXT,
    created_by TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX mrp_runs_company_idx ON mrp_runs (company_id, started_at);

-- Held while a run of the company is going: runs never overlap.
CREATE TABLE mrp_run_locks (
    company_id TEXT PRIMARY KEY NOT NULL REFERENCES companies (id),
    run_id TEXT NOT NULL
);

-- The plan (mrp_item_plans, planned_orders, mrp_messages) is derived data that every run
-- rewrites in bulk: it carries no foreign keys, whose per-row checks would cost more than
-- the writing itself. Items are never deleted (only deactivated), so nothing dangles.

-- The current plan per item: its MRP record and requirements, as the last run left them.
CREATE TABLE mrp_item_plans (
    item_id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    low_level_code INTEGER NOT NULL,
    -- A hash of the item's inputs, and of its requirements: what net change compares.
    fingerprint TEXT NOT NULL,
    demand_hash TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX mrp_item_plans_company_idx ON mrp_item_plans (company_id);

CREATE TABLE planned_orders (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('make', 'buy', 'phantom')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'firm')),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    release_date DATE NOT NULL,
    due_date DATE NOT NULL,
    past_due BOOLEAN NOT NULL,
    -- The engine's number of the order among its item's (-1 once firm).
    ordinal INTEGER NOT NULL,
    run_id TEXT,
    -- What the order serves, as JSON: [{source_type, source_id, parent_ordinal, quantity}]
    -- with source_type demand, planned_order (source_id the parent item, with the parent's
    -- ordinal), production_order or firm_planned_order.
    pegs TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX planned_orders_item_idx ON planned_orders (item_id, status);
CREATE INDEX planned_orders_company_idx ON planned_orders (company_id);

CREATE TABLE mrp_messages (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    item_id TEXT,
    kind TEXT NOT NULL,
    reference_type TEXT,
    reference_id TEXT,
    scheduled_date DATE,
    suggested_date DATE,
    quantity BIGINT,
    suggested_quantity BIGINT,
    message TEXT NOT NULL
);
CREATE INDEX mrp_messages_company_idx ON mrp_messages (company_id, kind);

CREATE TABLE production_orders (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    bom_id TEXT REFERENCES boms (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    status TEXT NOT NULL CHECK (status IN ('released', 'in_progress', 'completed', 'closed', 'cancelled')),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    quantity_completed BIGINT NOT NULL,
    start_date DATE NOT NULL,
    due_date DATE NOT NULL,
    backflush BOOLEAN NOT NULL,
    planned_order_id TEXT,
    planned_cost BIGINT NOT NULL,
    notes TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    UNIQUE (company_id, number)
);
CREATE INDEX production_orders_item_idx ON production_orders (company_id, item_id, status);

CREATE TABLE production_order_components (
    id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL REFERENCES production_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    quantity_required BIGINT NOT NULL,
    quantity_issued BIGINT NOT NULL,
    issued_cost BIGINT NOT NULL,
    reservation_id TEXT,
    UNIQUE (order_id, line_no)
);
CREATE INDEX production_order_components_item_idx ON production_order_components (item_id);

CREATE TABLE production_order_operations (
    id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL REFERENCES production_orders (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_centers (id),
    planned_setup_hours BIGINT NOT NULL,
    planned_run_hours BIGINT NOT NULL,
    actual_setup_hours BIGINT NOT NULL,
    actual_run_hours BIGINT NOT NULL,
    quantity_done BIGINT NOT NULL,
    quantity_scrapped BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'done')),
    UNIQUE (order_id, seq)
);
