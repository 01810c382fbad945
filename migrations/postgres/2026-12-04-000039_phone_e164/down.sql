DROP TABLE pending_data_migrations;
