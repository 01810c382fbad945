-- Inventory: units, items, warehouses and locations, the stock ledger and its caches.
-- Quantities are scaled by 10^6, unit prices by 10^6, money by 10^4, conversion factors by 10^9.

CREATE TABLE uoms (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

-- 1 from_uom = factor to_uom, for every item (kg -> g).
CREATE TABLE uom_conversions (
    from_uom_id TEXT NOT NULL REFERENCES uoms (id),
    to_uom_id TEXT NOT NULL REFERENCES uoms (id),
    factor_e9 BIGINT NOT NULL CHECK (factor_e9 > 0),
    PRIMARY KEY (from_uom_id, to_uom_id)
);

CREATE TABLE item_categories (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    parent_id TEXT REFERENCES item_categories (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE items (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    category_id TEXT REFERENCES item_categories (id),
    item_type TEXT NOT NULL CHECK (item_type IN ('stocked', 'consumable', 'service')),
    procurement TEXT NOT NULL CHECK (procurement IN ('make', 'buy')),
    tracking TEXT NOT NULL CHECK (tracking IN ('none', 'lot', 'serial')),
    valuation TEXT NOT NULL CHECK (valuation IN ('moving_average', 'fifo')),
    base_uom_id TEXT NOT NULL REFERENCES uoms (id),
    barcode TEXT,
    standard_cost BIGINT NOT NULL,
    default_supplier_id TEXT REFERENCES partners (id),
    supplier_price BIGINT,
    lead_time_days INTEGER,
    reorder_point BIGINT,
    reorder_max BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sku)
);
CREATE INDEX items_updated_idx ON items (company_id, updated_at);
CREATE INDEX items_barcode_idx ON items (company_id, barcode);

-- 1 uom = factor base units of this item (box = 12 each).
CREATE TABLE item_uoms (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    uom_id TEXT NOT NULL REFERENCES uoms (id),
    factor_e9 BIGINT NOT NULL CHECK (factor_e9 > 0),
    PRIMARY KEY (item_id, uom_id)
);

CREATE TABLE warehouses (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    branch_id TEXT NOT NULL REFERENCES branches (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    allow_negative BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE locations (
    id TEXT PRIMARY KEY NOT NULL,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    parent_id TEXT REFERENCES locations (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('storage', 'receiving', 'scrap', 'transit')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (warehouse_id, code)
);

-- The physical ledger: append-only. A correction is a reversing move.
CREATE TABLE stock_moves (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    move_type TEXT NOT NULL CHECK (move_type IN ('receipt', 'issue', 'transfer', 'adjustment', 'scrap', 'reversal')),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    entered_quantity BIGINT NOT NULL,
    entered_uom_id TEXT NOT NULL REFERENCES uoms (id),
    from_location_id TEXT REFERENCES locations (id),
    to_location_id TEXT REFERENCES locations (id),
    lot TEXT NOT NULL,
    unit_cost BIGINT NOT NULL,
    total_cost BIGINT NOT NULL,
    reference_type TEXT,
    reference_id TEXT,
    reservation_id TEXT,
    reversal_of_id TEXT UNIQUE REFERENCES stock_moves (id),
    note TEXT,
    posted_at TIMESTAMP NOT NULL,
    user_id TEXT NOT NULL,
    CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL)
);
CREATE INDEX stock_moves_item_idx ON stock_moves (item_id, posted_at);
CREATE INDEX stock_moves_from_idx ON stock_moves (from_location_id, item_id);
CREATE INDEX stock_moves_to_idx ON stock_moves (to_location_id, item_id);
CREATE INDEX stock_moves_reference_idx ON stock_moves (reference_type, reference_id);

-- The valuation ledger: what each move did to the value of stock in a warehouse (signed).
CREATE TABLE stock_value_entries (
    id TEXT PRIMARY KEY NOT NULL,
    move_id TEXT NOT NULL REFERENCES stock_moves (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    quantity BIGINT NOT NULL,
    value BIGINT NOT NULL,
    posted_at TIMESTAMP NOT NULL
);
CREATE INDEX stock_value_entries_item_idx ON stock_value_entries (item_id, warehouse_id, posted_at);
CREATE INDEX stock_value_entries_time_idx ON stock_value_entries (warehouse_id, posted_at);

-- Cache of the physical ledger, updated in the move's transaction; guarded updates keep
-- available (on_hand - reserved) from going below zero.
CREATE TABLE stock_balances (
    item_id TEXT NOT NULL REFERENCES items (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    lot TEXT NOT NULL,
    on_hand BIGINT NOT NULL,
    reserved BIGINT NOT NULL CHECK (reserved >= 0),
    PRIMARY KEY (item_id, location_id, lot)
);
CREATE INDEX stock_balances_location_idx ON stock_balances (location_id);

-- Cache of the valuation ledger per item and warehouse (moving average state).
CREATE TABLE stock_valuations (
    item_id TEXT NOT NULL REFERENCES items (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    quantity BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (item_id, warehouse_id)
);

-- FIFO layers: what is left of each receipt, oldest first.
CREATE TABLE cost_layers (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    move_id TEXT NOT NULL REFERENCES stock_moves (id),
    quantity_remaining BIGINT NOT NULL CHECK (quantity_remaining >= 0),
    value_remaining BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cost_layers_open_idx ON cost_layers (item_id, warehouse_id, id);

CREATE TABLE reservations (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    lot TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    consumed BIGINT NOT NULL CHECK (consumed >= 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'released', 'consumed')),
    reference_type TEXT,
    reference_id TEXT,
    user_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reservations_item_idx ON reservations (item_id, status);
CREATE INDEX reservations_reference_idx ON reservations (reference_type, reference_id);
