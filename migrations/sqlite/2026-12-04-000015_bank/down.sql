ALTER TABLE fin_payments DROP COLUMN reconciled;
DROP TABLE fin_reconciliations;
DROP TABLE fin_bank_lines;
DROP TABLE fin_bank_statements;
