DROP INDEX fin_budgets_in_force;
ALTER TABLE fin_settings DROP COLUMN budget_control;
ALTER TABLE fin_budgets DROP COLUMN superseded_by_id;
ALTER TABLE fin_budgets DROP COLUMN derived_from_id;
