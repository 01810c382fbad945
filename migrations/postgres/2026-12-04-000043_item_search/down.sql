DROP INDEX items_name_trgm_idx;
DROP INDEX items_sku_trgm_idx;
