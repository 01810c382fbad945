ALTER TABLE fin_balances DROP COLUMN amount_currency;
ALTER TABLE fin_entry_lines DROP COLUMN amount_currency;
ALTER TABLE fin_entry_lines DROP COLUMN currency;
