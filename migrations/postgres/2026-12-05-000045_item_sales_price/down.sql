ALTER TABLE items DROP COLUMN sales_price;
