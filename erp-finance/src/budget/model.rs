use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{fin_budget_lines, fin_budgets};
use erp_core::ids::CompanyId;
use erp_core::org::branch::model::BranchKey;

use crate::budget::dto::BudgetStatus;
use crate::ids::{AccountId, BudgetId, PeriodId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_budgets)]
pub struct BudgetRow {
    pub id: BudgetId,
    pub company_id: CompanyId,
    pub name: String,
    pub fiscal_year: i32,
    pub status: BudgetStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The budget this version was derived from.
    pub derived_from_id: Option<BudgetId>,
    /// The approved version that replaced this one in force.
    pub superseded_by_id: Option<BudgetId>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_budget_lines)]
pub struct BudgetLineRow {
    pub budget_id: BudgetId,
    pub account_id: AccountId,
    pub period_id: PeriodId,
    pub branch_id: BranchKey,
    pub amount: i64,
}
