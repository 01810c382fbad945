-- Budget versions: a budget may be derived from another (`derived_from_id`); approving one
-- puts it in force for its fiscal year, and the one in force before is superseded
-- (`superseded_by_id`). Budget control: what confirming a purchase order over the remaining
-- budget of the in-force version does, 'off', 'warn' or 'refuse'.
ALTER TABLE fin_budgets ADD COLUMN derived_from_id TEXT;
ALTER TABLE fin_budgets ADD COLUMN superseded_by_id TEXT;
ALTER TABLE fin_settings ADD COLUMN budget_control TEXT NOT NULL DEFAULT 'off' CHECK (budget_control IN ('off', 'warn', 'refuse'));

-- One version in force per company and year: of budgets approved before, the newest stays.
UPDATE fin_budgets SET superseded_by_id = (
    SELECT n.id FROM fin_budgets n
    WHERE n.company_id = fin_budgets.company_id AND n.fiscal_year = fin_budgets.fiscal_year
      AND n.status = 'approved'
    ORDER BY n.updated_at DESC, n.id DESC LIMIT 1)
WHERE status = 'approved' AND id <> (
    SELECT n.id FROM fin_budgets n
    WHERE n.company_id = fin_budgets.company_id AND n.fiscal_year = fin_budgets.fiscal_year
      AND n.status = 'approved'
    ORDER BY n.updated_at DESC, n.id DESC LIMIT 1);
CREATE UNIQUE INDEX fin_budgets_in_force ON fin_budgets (company_id, fiscal_year)
    WHERE status = 'approved' AND superseded_by_id IS NULL;
