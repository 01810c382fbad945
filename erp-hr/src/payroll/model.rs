use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{
    hr_pay_components, hr_pay_runs, hr_pay_structure_components, hr_pay_structures,
    hr_payslip_lines, hr_payslips,
};

use crate::ids::{DepartmentId, EmployeeId};
use crate::payroll::dto::PayRunStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_pay_components)]
pub struct ComponentRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub method: String,
    pub amount: Option<i64>,
    pub rate: Option<i64>,
    pub cap: Option<i64>,
    pub basis: Option<String>,
    pub brackets: Option<String>,
    pub expense_account_id: Option<String>,
    pub liability_account_id: Option<String>,
    pub sequence: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    /// Money ×10⁴: lines are rounded to a multiple of it; the minor unit when none.
    pub round_to: Option<i64>,
    pub rounding: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_pay_runs, treat_none_as_null = true)]
pub struct PayRunRow {
    pub id: String,
    pub company_id: String,
    pub branch_id: String,
    pub year: i32,
    pub month: i32,
    pub status: PayRunStatus,
    pub currency: String,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    pub payable_account_id: String,
    pub entry_id: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The day its net pay was paid out (a payment per payslip).
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_payslips, treat_none_as_default_value = false)]
pub struct PayslipRow {
    pub id: String,
    pub company_id: String,
    pub run_id: String,
    pub employee_id: EmployeeId,
    pub department_id: DepartmentId,
    pub days_employed: i32,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    /// Finance's payment of the net pay, once paid out.
    pub payment_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_payslip_lines, treat_none_as_default_value = false)]
pub struct PayslipLineRow {
    pub payslip_id: String,
    pub line_no: i32,
    pub component_id: String,
    pub kind: String,
    pub quantity: Option<i64>,
    pub rate: Option<i64>,
    pub base: Option<i64>,
    pub amount: i64,
    pub note: String,
    /// The earlier month this line corrects (`2026-10`), if it is a correction.
    pub corrects: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_pay_structures)]
pub struct StructureRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub name: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_pay_structure_components, treat_none_as_default_value = false)]
pub struct StructureComponentRow {
    pub structure_id: String,
    pub component_id: String,
}
