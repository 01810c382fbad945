DROP TABLE fin_balances;
DROP TABLE fin_entry_lines;
DROP TABLE fin_entries;
DROP TABLE fin_journals;
DROP TABLE fin_periods;
DROP TABLE fin_accounts;
