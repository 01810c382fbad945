-- Item search by any part of the code or the name, through trigram indexes (pg_trgm, a
-- trusted extension shipped with PostgreSQL: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX items_sku_trgm_idx ON items USING gin (lower(sku) gin_trgm_ops);
CREATE INDEX items_name_trgm_idx ON items USING gin (lower(name) gin_trgm_ops);
