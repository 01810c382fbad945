DROP TABLE purchase_order_lines;
DROP TABLE purchase_orders;
DROP TABLE supplier_prices;
DROP TABLE document_sequences;
