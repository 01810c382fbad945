-- Data migrations the server carries out in Rust at its next start, each once: a row here
-- is one still to do, deleted in the transaction that does it.
CREATE TABLE pending_data_migrations (
    name TEXT PRIMARY KEY NOT NULL
);
-- Phone numbers are matched in E.164 from now on: the keys of the numbers already stored
-- (partners' and contact people's) are computed anew with the company's country.
INSERT INTO pending_data_migrations (name) VALUES ('partner_phones_e164');
INSERT INTO pending_data_migrations (name) VALUES ('contact_phones_e164');
