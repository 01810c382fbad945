use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::hr_departments;
use erp_core::ids::{BranchId, CompanyId};

use crate::ids::{DepartmentId, EmployeeId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_departments, treat_none_as_null = true)]
pub struct DepartmentRow {
    pub id: DepartmentId,
    pub company_id: CompanyId,
    pub branch_id: BranchId,
    pub parent_id: Option<DepartmentId>,
    pub code: String,
    pub name: String,
    pub cost_center: Option<String>,
    pub manager_id: Option<EmployeeId>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
