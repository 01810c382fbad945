use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, UserId};
use erp_core::money::{Money, Percent, Price, Qty};
use erp_finance::ids::{AccountId, EntryId, PaymentId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{EmployeeId, PayComponentId, PayRunId, PayStructureId, PayslipId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayKind {
    /// Paid to the employee, part of gross pay; an expense.
    Earning,
    /// Kept from gross pay and owed to someone else (tax, social security); a liability.
    Deduction,
    /// Paid by the employer on top (its social security share); an expense and a liability.
    Employer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayMethod {
    /// The monthly salary of the contract, pro rata for the calendar days under contract.
    Salary,
    /// Hours worked by attendance times the contract's hourly rate.
    HourlyPay,
    /// Overtime hours by rule times the hourly rate times the rule's rate.
    Overtime,
    /// Unpaid leave days times a working day's salary (a negative earning).
    UnpaidLeave,
    /// `amount` each month.
    Fixed,
    /// `rate` percent of the basis, capped at `cap`.
    Percent,
    /// Progressive `brackets` over the basis (an income tax table).
    Brackets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayBasisKind {
    /// The gross pay (the earnings before this component).
    Gross,
    /// The gross pay less the deductions computed before this component.
    GrossLessDeductions,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayRounding {
    /// To the nearest multiple, halves away from zero.
    #[default]
    Nearest,
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

/// Over `over`, up to the next bracket's `over`, the basis is taxed at `rate` percent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BracketDto {
    pub over: Money,
    pub rate: Percent,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePayComponentRequest {
    pub id: Option<PayComponentId>,
    pub code: String,
    pub name: String,
    pub kind: PayKind,
    pub method: PayMethod,
    /// For `fixed`.
    pub amount: Option<Money>,
    /// For `percent`.
    pub rate: Option<Percent>,
    /// For `percent` and `brackets`: the basis is capped at this amount.
    pub cap: Option<Money>,
    /// For `percent` and `brackets`; `gross` when absent.
    pub basis: Option<PayBasisKind>,
    /// For `brackets`: ascending by `over`, the first over 0.
    pub brackets: Option<Vec<BracketDto>>,
    /// Debited for an earning or an employer contribution.
    pub expense_account_id: Option<AccountId>,
    /// Credited for a deduction or an employer contribution.
    pub liability_account_id: Option<AccountId>,
    /// Each line is rounded to a multiple of this (1.00: whole units); the currency's minor
    /// unit when absent.
    pub round_to: Option<Money>,
    /// `nearest` when absent.
    pub rounding: Option<PayRounding>,
    /// Components are computed in this order: earnings first, then what is a percent of them.
    pub sequence: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayComponentResponse {
    pub id: PayComponentId,
    pub code: String,
    pub name: String,
    pub kind: PayKind,
    pub method: PayMethod,
    pub amount: Option<Money>,
    pub rate: Option<Percent>,
    pub cap: Option<Money>,
    pub basis: Option<PayBasisKind>,
    pub brackets: Vec<BracketDto>,
    pub expense_account_id: Option<AccountId>,
    pub liability_account_id: Option<AccountId>,
    pub round_to: Option<Money>,
    pub rounding: PayRounding,
    pub sequence: i32,
    pub active: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayComponentList {
    pub items: Vec<PayComponentResponse>,
}

/// A group's pay: the components its employees are paid by. A contract names its structure;
/// one without is paid by every active component of the company.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePayStructureRequest {
    pub id: Option<PayStructureId>,
    pub code: String,
    pub name: String,
    /// Each once; computed in the components' own order (`sequence`).
    pub component_ids: Vec<PayComponentId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePayStructureRequest {
    pub name: Option<String>,
    /// In place of the components before; runs computed from now on use them.
    pub component_ids: Option<Vec<PayComponentId>>,
    pub version: Option<i64>,
}

/// A component of a structure, in the order of computation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StructureComponent {
    pub id: PayComponentId,
    pub code: String,
    pub name: String,
    pub kind: PayKind,
    /// An inactive component is not computed, in any structure.
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayStructureResponse {
    pub id: PayStructureId,
    pub code: String,
    pub name: String,
    pub components: Vec<StructureComponent>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayStructureList {
    pub items: Vec<PayStructureResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePayRunRequest {
    pub id: Option<PayRunId>,
    pub branch_id: BranchId,
    pub year: i32,
    /// 1 to 12.
    pub month: i32,
    /// Credited with the net pay owed to each employee (the partner of the line).
    pub payable_account_id: AccountId,
}

erp_core::text_enum! {
    pub enum PayRunStatus {
        Draft = "draft",
        Approved = "approved",
        Posted = "posted",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayslipSummary {
    pub id: PayslipId,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub employee_number: String,
    pub days_employed: i32,
    pub gross: Money,
    pub deductions: Money,
    pub employer: Money,
    pub net: Money,
    /// Finance's payment of the net pay, once paid out.
    pub payment_id: Option<PaymentId>,
}

/// A pay run without its payslips: what the list of runs shows.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayRunSummary {
    pub id: PayRunId,
    pub branch_id: BranchId,
    pub year: i32,
    pub month: i32,
    pub status: PayRunStatus,
    pub currency: String,
    pub gross: Money,
    pub deductions: Money,
    pub employer: Money,
    pub net: Money,
    pub payable_account_id: AccountId,
    /// The ledger entry, once posted.
    pub entry_id: Option<EntryId>,
    /// The day the net pay was paid out, once it was (`POST /hr/pay-runs/{id}/pay`).
    pub paid_on: Option<NaiveDate>,
    pub approved_by: Option<UserId>,
    pub approved_at: Option<DateTime<Utc>>,
    /// How many payslips the run holds.
    pub payslip_count: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// A pay run with every payslip, by employee name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayRunResponse {
    #[serde(flatten)]
    pub run: PayRunSummary,
    pub payslips: Vec<PayslipSummary>,
}

/// Pays a posted run out from a bank account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayOutRequest {
    /// The bank account the transfers leave from (an active asset account).
    pub account_id: AccountId,
    /// The transfers' value date; its period must be open.
    pub payment_date: NaiveDate,
}

erp_core::page_type!(PayRunList, PayRunSummary);

/// One line of a payslip with what it was computed from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayslipLine {
    pub component: String,
    pub name: String,
    pub kind: PayKind,
    /// Days, hours or days of leave the amount counts.
    pub quantity: Option<Qty>,
    /// The salary, hourly rate or percent applied.
    pub rate: Option<Price>,
    /// The amount a percent or brackets applied to.
    pub base: Option<Money>,
    pub amount: Money,
    pub note: String,
    /// The earlier month (`2026-10`) this line corrects, after a backdated change.
    pub corrects: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayslipResponse {
    pub id: PayslipId,
    pub run_id: PayRunId,
    pub year: i32,
    pub month: i32,
    pub status: PayRunStatus,
    pub currency: String,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub employee_number: String,
    pub days_employed: i32,
    pub lines: Vec<PayslipLine>,
    pub gross: Money,
    pub deductions: Money,
    pub employer: Money,
    pub net: Money,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayslipList {
    pub items: Vec<PayslipResponse>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayRunQuery {
    pub year: Option<i32>,
}
