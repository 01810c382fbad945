use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{fin_budget_lines, fin_budgets};

use crate::budget::dto::BudgetStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_budgets)]
pub struct BudgetRow {
    pub id: String,
    pub company_id: String,
    pub name: String,
    pub fiscal_year: i32,
    pub status: BudgetStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The budget this version was derived from.
    pub derived_from_id: Option<String>,
    /// The approved version that replaced this one in force.
    pub superseded_by_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_budget_lines)]
pub struct BudgetLineRow {
    pub budget_id: String,
    pub account_id: String,
    pub period_id: String,
    pub branch_id: String,
    pub amount: i64,
}
