use chrono::NaiveDate;
use erp_core::ids::BranchId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DepartmentId, EmployeeId};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgChartQuery {
    /// Only this branch's departments.
    pub branch_id: Option<BranchId>,
}

/// An employee as the chart names them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgPerson {
    pub id: EmployeeId,
    pub number: String,
    pub name: String,
}

/// Someone working in a department today.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgMember {
    pub id: EmployeeId,
    pub number: String,
    pub name: String,
    pub position: Option<String>,
    pub manager_id: Option<EmployeeId>,
}

/// One department of the chart.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgUnit {
    pub id: DepartmentId,
    pub code: String,
    pub name: String,
    pub branch_id: BranchId,
    pub parent_id: Option<DepartmentId>,
    /// 0 for a top department, its parent's depth + 1 below.
    pub depth: i32,
    pub manager: Option<OrgPerson>,
    /// Head count planned by the department's active positions.
    pub planned: i64,
    /// People working in the department today.
    pub filled: i64,
    pub members: Vec<OrgMember>,
}

/// The active departments in tree order (each department followed by the ones below it),
/// as of `at`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgChart {
    pub at: NaiveDate,
    pub units: Vec<OrgUnit>,
}
