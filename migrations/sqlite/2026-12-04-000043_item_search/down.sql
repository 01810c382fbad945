DROP TRIGGER items_search_added;
DROP TRIGGER items_search_changed;
DROP TRIGGER items_search_removed;
DROP TABLE items_search;
DROP TABLE items_search_keys;
