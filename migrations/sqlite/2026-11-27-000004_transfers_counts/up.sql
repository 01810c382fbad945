-- Transfers between warehouses (and branches) through the sender's transit location, and
-- stock counts whose differences are posted as adjustments on approval.

CREATE TABLE transfer_orders (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    from_warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    to_warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'shipped', 'partially_received', 'received', 'closed', 'cancelled')),
    notes TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);

CREATE TABLE transfer_order_lines (
    id TEXT PRIMARY KEY NOT NULL,
    transfer_id TEXT NOT NULL REFERENCES transfer_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    from_location_id TEXT NOT NULL REFERENCES locations (id),
    lot TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    received_quantity BIGINT NOT NULL,
    written_off_quantity BIGINT NOT NULL,
    UNIQUE (transfer_id, line_no)
);

CREATE TABLE count_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    kind TEXT NOT NULL CHECK (kind IN ('full', 'cycle')),
    abc_class TEXT CHECK (abc_class IN ('a', 'b', 'c')),
    status TEXT NOT NULL CHECK (status IN ('open', 'approved', 'cancelled')),
    notes TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);

CREATE TABLE count_lines (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES items (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    lot TEXT NOT NULL,
    expected_quantity BIGINT NOT NULL,
    counted_quantity BIGINT,
    adjustment_move_id TEXT REFERENCES stock_moves (id),
    UNIQUE (session_id, item_id, location_id, lot)
);
