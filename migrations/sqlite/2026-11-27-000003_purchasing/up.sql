-- Document numbers (PO-2026-000001) and purchasing.

CREATE TABLE document_sequences (
    company_id TEXT NOT NULL REFERENCES companies (id),
    series TEXT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (company_id, series)
);

-- A supplier's price for an item from a minimum quantity on.
CREATE TABLE supplier_prices (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    supplier_id TEXT NOT NULL REFERENCES partners (id),
    item_id TEXT NOT NULL REFERENCES items (id),
    min_quantity BIGINT NOT NULL,
    price BIGINT NOT NULL,
    lead_time_days INTEGER,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (supplier_id, item_id, min_quantity)
);
CREATE INDEX supplier_prices_item_idx ON supplier_prices (item_id);

CREATE TABLE purchase_orders (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    supplier_id TEXT NOT NULL REFERENCES partners (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'partially_received', 'received', 'closed', 'cancelled')),
    currency TEXT NOT NULL,
    order_date DATE NOT NULL,
    expected_date DATE,
    over_receipt_tolerance BIGINT NOT NULL,
    notes TEXT,
    total BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX purchase_orders_supplier_idx ON purchase_orders (supplier_id, status);
CREATE INDEX purchase_orders_updated_idx ON purchase_orders (company_id, updated_at);

CREATE TABLE purchase_order_lines (
    id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    line_total BIGINT NOT NULL,
    received_quantity BIGINT NOT NULL,
    expected_date DATE,
    UNIQUE (order_id, line_no)
);
CREATE INDEX purchase_order_lines_item_idx ON purchase_order_lines (item_id);
