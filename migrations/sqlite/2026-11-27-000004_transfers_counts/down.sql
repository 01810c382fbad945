DROP TABLE count_lines;
DROP TABLE count_sessions;
DROP TABLE transfer_order_lines;
DROP TABLE transfer_orders;
