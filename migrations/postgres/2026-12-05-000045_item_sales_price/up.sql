-- The price per base unit (x10^6) a sales order or quote line takes when it names none.
ALTER TABLE items ADD COLUMN sales_price BIGINT;
