use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, PartnerId, UserId};
use erp_core::partner::dto::CreatePartnerRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::contract::dto::{ContractResponse, NewContractRequest};
use crate::ids::{AssignmentId, CalendarId, DepartmentId, EmployeeId, PositionId};
use crate::wire::present;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeStatus {
    /// Hired with a start date still to come.
    Starting,
    Active,
    /// Notice given: the last day is today or still to come.
    Leaving,
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminationReason {
    Resignation,
    Dismissal,
    EndOfContract,
    Retirement,
    MutualAgreement,
    Death,
    Other,
}

/// Hires a person: an existing business partner (`partner_id`) or a new one (`person`).
/// The branch is the department's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEmployeeRequest {
    pub id: Option<EmployeeId>,
    /// Unique in the company; `EMP-<year hired>-000001` and on when absent.
    pub number: Option<String>,
    /// A person among the business partners; or give `person`.
    pub partner_id: Option<PartnerId>,
    /// A new person to create among the business partners (`kind` must be `person`).
    pub person: Option<CreatePartnerRequest>,
    /// The user the employee signs in as, for self-service.
    pub user_id: Option<UserId>,
    pub department_id: DepartmentId,
    /// A position of the department.
    pub position_id: Option<PositionId>,
    /// A current employee; by default the department's manager.
    pub manager_id: Option<EmployeeId>,
    pub hired_on: NaiveDate,
    /// The work calendar leave is counted by; the company's default when absent.
    pub calendar_id: Option<CalendarId>,
    /// Confidential: needs `hr.confidential.write`.
    pub birth_date: Option<NaiveDate>,
    /// An IBAN; confidential: needs `hr.confidential.write`.
    pub bank_account: Option<String>,
    /// The first contract, made in the same transaction; needs `hr.confidential.write`.
    pub contract: Option<NewContractRequest>,
}

/// Changes to an employee's own data; absent fields stay, `null` clears. Where they work
/// changes by a transfer, their leaving by a termination.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEmployeeRequest {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<UserId>, nullable)]
    pub user_id: Option<Option<UserId>>,
    /// The work calendar; `null` for the company's default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<CalendarId>, nullable)]
    pub calendar_id: Option<Option<CalendarId>>,
    /// Confidential: needs `hr.confidential.write`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub birth_date: Option<Option<NaiveDate>>,
    /// An IBAN; confidential: needs `hr.confidential.write`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable)]
    pub bank_account: Option<Option<String>>,
    pub version: Option<i64>,
}

/// Moves an employee to another department (and so perhaps another branch), position or
/// manager from a date; absent fields stay, `null` clears the position or the manager.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// After the current assignment's date; up to a year ahead, when the transfer is
    /// scheduled and the employee moves on the day.
    pub effective_on: NaiveDate,
    pub department_id: Option<DepartmentId>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<PositionId>, nullable)]
    pub position_id: Option<Option<PositionId>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<EmployeeId>, nullable)]
    pub manager_id: Option<Option<EmployeeId>>,
    pub reason: String,
}

/// Ends an employment on its last day; contracts running past it end with it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminateRequest {
    /// The last day of employment; in the future while notice runs.
    pub terminated_on: NaiveDate,
    pub reason: TerminationReason,
    /// Confidential.
    pub note: Option<String>,
}

/// What HR and the employee see, and a line manager does not.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConfidentialData {
    pub birth_date: Option<NaiveDate>,
    pub bank_account: Option<String>,
    pub termination_note: Option<String>,
    /// The contract in force today.
    pub contract: Option<ContractResponse>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmployeeResponse {
    pub id: EmployeeId,
    pub number: String,
    /// The person among the business partners.
    pub partner_id: PartnerId,
    pub name: String,
    pub user_id: Option<UserId>,
    pub branch_id: BranchId,
    pub department_id: DepartmentId,
    pub position_id: Option<PositionId>,
    pub manager_id: Option<EmployeeId>,
    /// The work calendar; the company's default applies when `null`.
    pub calendar_id: Option<CalendarId>,
    pub hired_on: NaiveDate,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: Option<TerminationReason>,
    /// Today's standing, from the hire and termination dates.
    pub status: EmployeeStatus,
    /// Present for HR (`hr.confidential.read`) and for the employee themself; `null` otherwise.
    pub confidential: Option<ConfidentialData>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(EmployeePage, EmployeeResponse);

/// Employees to create together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEmployeesRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub employees: Vec<CreateEmployeeRequest>,
}

/// The employees a bulk create made, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmployeeBatch {
    pub employees: Vec<EmployeeResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeListQuery {
    pub branch_id: Option<BranchId>,
    pub department_id: Option<DepartmentId>,
    pub position_id: Option<PositionId>,
    /// Direct reports of this employee.
    pub manager_id: Option<EmployeeId>,
    /// Only those employed on `at` (true) or not (false).
    pub employed: Option<bool>,
    /// The day `employed` refers to; today when absent.
    pub at: Option<NaiveDate>,
    /// Part of the name or the number, any case.
    pub q: Option<String>,
}

/// Where an employee worked from a date: the hire, then each transfer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssignmentResponse {
    pub id: AssignmentId,
    pub employee_id: EmployeeId,
    pub effective_on: NaiveDate,
    pub branch_id: BranchId,
    pub department_id: DepartmentId,
    pub position_id: Option<PositionId>,
    pub manager_id: Option<EmployeeId>,
    pub reason: String,
    /// Scheduled ahead: the employee moves on `effective_on`.
    pub scheduled: bool,
    pub created_at: DateTime<Utc>,
}

/// An employee's assignments, the hire first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssignmentList {
    pub items: Vec<AssignmentResponse>,
}
