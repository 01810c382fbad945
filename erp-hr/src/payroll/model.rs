use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{
    hr_pay_components, hr_pay_runs, hr_pay_structure_components, hr_pay_structures,
    hr_payslip_lines, hr_payslips,
};

use erp_core::ids::{BranchId, CompanyId, UserId};
use erp_finance::ids::{AccountId, EntryId, PaymentId};

use crate::ids::{DepartmentId, EmployeeId, PayComponentId, PayRunId, PayStructureId, PayslipId};
use crate::payroll::dto::PayRunStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_pay_components)]
pub struct ComponentRow {
    pub id: PayComponentId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub method: String,
    pub amount: Option<i64>,
    pub rate: Option<i64>,
    pub cap: Option<i64>,
    pub basis: Option<String>,
    pub brackets: Option<String>,
    pub expense_account_id: Option<AccountId>,
    pub liability_account_id: Option<AccountId>,
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
    pub id: PayRunId,
    pub company_id: CompanyId,
    pub branch_id: BranchId,
    pub year: i32,
    pub month: i32,
    pub status: PayRunStatus,
    pub currency: String,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    pub payable_account_id: AccountId,
    pub entry_id: Option<EntryId>,
    pub approved_by: Option<UserId>,
    pub approved_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The day its net pay was paid out (a payment per payslip).
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_payslips, treat_none_as_default_value = false)]
pub struct PayslipRow {
    pub id: PayslipId,
    pub company_id: CompanyId,
    pub run_id: PayRunId,
    pub employee_id: EmployeeId,
    pub department_id: DepartmentId,
    pub days_employed: i32,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    /// Finance's payment of the net pay, once paid out.
    pub payment_id: Option<PaymentId>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_payslip_lines, treat_none_as_default_value = false)]
pub struct PayslipLineRow {
    pub payslip_id: PayslipId,
    pub line_no: i32,
    pub component_id: PayComponentId,
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
    pub id: PayStructureId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_pay_structure_components, treat_none_as_default_value = false)]
pub struct StructureComponentRow {
    pub structure_id: PayStructureId,
    pub component_id: PayComponentId,
}
