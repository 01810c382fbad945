DROP TABLE fin_account_rules;
