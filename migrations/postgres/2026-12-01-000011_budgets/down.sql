DROP TABLE fin_budget_lines;
DROP TABLE fin_budgets;
