-- Item search by any part of the code or the name, through an index: an FTS5 trigram table.
-- Its rows are keyed by `items_search_keys`, because the rowid of `items` (a text primary
-- key) may change on VACUUM; triggers keep both in step with `items`.
CREATE TABLE items_search_keys (
    search_rowid INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE items_search USING fts5(sku, name, tokenize = 'trigram');

INSERT INTO items_search_keys (item_id) SELECT id FROM items;
INSERT INTO items_search (rowid, sku, name)
    SELECT k.search_rowid, i.sku, i.name FROM items i JOIN items_search_keys k ON k.item_id = i.id;

CREATE TRIGGER items_search_added AFTER INSERT ON items
BEGIN
    INSERT INTO items_search_keys (item_id) VALUES (new.id);
    INSERT INTO items_search (rowid, sku, name)
        SELECT search_rowid, new.sku, new.name FROM items_search_keys WHERE item_id = new.id;
END;
CREATE TRIGGER items_search_changed AFTER UPDATE OF sku, name ON items
BEGIN
    UPDATE items_search SET sku = new.sku, name = new.name
        WHERE rowid = (SELECT search_rowid FROM items_search_keys WHERE item_id = new.id);
END;
CREATE TRIGGER items_search_removed AFTER DELETE ON items
BEGIN
    DELETE FROM items_search
        WHERE rowid = (SELECT search_rowid FROM items_search_keys WHERE item_id = old.id);
    DELETE FROM items_search_keys WHERE item_id = old.id;
END;
