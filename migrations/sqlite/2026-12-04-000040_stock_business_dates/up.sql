-- Stock on the calendar. A move has a business date (`effective_at`, default the posting
-- time) that orders it for costing and for every "as of" question; `posted_at` stays the
-- time it was recorded. A move dated before later moves of its item and warehouse re-costs
-- them: the difference is a value entry of kind `recost` on the later move, caused by the
-- backdated one. A moving-average reversal that empties a position with value left takes
-- it out as a `residue` entry. FIFO layers carry their receipt's business date and lot
-- (specific identification takes from the lot issued), and what each move took from each
-- layer is kept, so a re-costing can start from any date without replaying all history.
ALTER TABLE stock_moves ADD COLUMN effective_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE stock_moves SET effective_at = posted_at;
CREATE INDEX stock_moves_effective_idx ON stock_moves (item_id, effective_at, id);

ALTER TABLE stock_value_entries ADD COLUMN effective_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE stock_value_entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'move';
ALTER TABLE stock_value_entries ADD COLUMN caused_by_move_id TEXT;
UPDATE stock_value_entries SET effective_at = posted_at;
CREATE INDEX stock_value_entries_effective_idx ON stock_value_entries (item_id, warehouse_id, effective_at);
CREATE INDEX stock_value_entries_move_idx ON stock_value_entries (move_id);

ALTER TABLE cost_layers ADD COLUMN effective_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE cost_layers ADD COLUMN lot TEXT NOT NULL DEFAULT '';
UPDATE cost_layers SET effective_at = (SELECT m.effective_at FROM stock_moves m WHERE m.id = cost_layers.move_id),
    lot = (SELECT m.lot FROM stock_moves m WHERE m.id = cost_layers.move_id);
CREATE INDEX cost_layers_move_idx ON cost_layers (move_id);

CREATE TABLE cost_layer_takes (
    id TEXT PRIMARY KEY NOT NULL,
    move_id TEXT NOT NULL REFERENCES stock_moves (id),
    layer_id TEXT NOT NULL REFERENCES cost_layers (id),
    quantity BIGINT NOT NULL,
    value BIGINT NOT NULL
);
CREATE INDEX cost_layer_takes_move_idx ON cost_layer_takes (move_id);
CREATE INDEX cost_layer_takes_layer_idx ON cost_layer_takes (layer_id);

-- How far back a stock move may be dated when no fiscal period says otherwise.
ALTER TABLE companies ADD COLUMN stock_backdate_days INTEGER NOT NULL DEFAULT 31;

-- Specific identification is FIFO within each lot: `valuation` stays 'fifo' (its CHECK cannot
-- change on SQLite without rebuilding a table half the schema refers to) and `by_lot` says
-- the layers are taken per lot.
ALTER TABLE items ADD COLUMN by_lot BOOLEAN NOT NULL DEFAULT FALSE;
