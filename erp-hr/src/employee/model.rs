use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{hr_assignments, hr_employees};
use erp_core::ids::{BranchId, CompanyId, PartnerId, UserId};

use crate::ids::{AssignmentId, CalendarId, DepartmentId, EmployeeId, PositionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_employees, treat_none_as_null = true)]
pub struct EmployeeRow {
    pub id: EmployeeId,
    pub company_id: CompanyId,
    pub number: String,
    pub partner_id: PartnerId,
    pub user_id: Option<UserId>,
    pub branch_id: BranchId,
    pub department_id: DepartmentId,
    pub position_id: Option<PositionId>,
    pub manager_id: Option<EmployeeId>,
    pub hired_on: NaiveDate,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: Option<String>,
    pub termination_note: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub bank_account: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The work calendar leave is counted by.
    pub calendar_id: Option<CalendarId>,
}

impl EmployeeRow {
    /// Employed on `day`: hired on or before it, and not gone before it.
    pub fn employed_on(&self, day: NaiveDate) -> bool {
        self.hired_on <= day && self.terminated_on.is_none_or(|t| t >= day)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_assignments)]
pub struct AssignmentRow {
    pub id: AssignmentId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub effective_on: NaiveDate,
    pub branch_id: BranchId,
    pub department_id: DepartmentId,
    pub position_id: Option<PositionId>,
    pub manager_id: Option<EmployeeId>,
    pub reason: String,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    /// Scheduled ahead and not yet applied to the employee.
    pub pending: bool,
}
