use chrono::{DateTime, Utc};
use erp_core::ids::BranchId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DepartmentId, EmployeeId};
use crate::wire::present;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDepartmentRequest {
    pub id: Option<DepartmentId>,
    /// Unique in the company: `SALES-BER`.
    pub code: String,
    pub name: String,
    pub branch_id: BranchId,
    /// The department this one belongs to, in the same branch.
    pub parent_id: Option<DepartmentId>,
    /// The cost center its salaries are posted to.
    pub cost_center: Option<String>,
    /// A current employee.
    pub manager_id: Option<EmployeeId>,
}

/// Changes to a department; absent fields stay; `null` clears a nullable one. The code and
/// the branch do not change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDepartmentRequest {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DepartmentId>, nullable)]
    pub parent_id: Option<Option<DepartmentId>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable)]
    pub cost_center: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<EmployeeId>, nullable)]
    pub manager_id: Option<Option<EmployeeId>>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartmentResponse {
    pub id: DepartmentId,
    pub code: String,
    pub name: String,
    pub branch_id: BranchId,
    pub parent_id: Option<DepartmentId>,
    pub cost_center: Option<String>,
    pub manager_id: Option<EmployeeId>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(DepartmentPage, DepartmentResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartmentListQuery {
    pub branch_id: Option<BranchId>,
    /// Only the direct children of this department.
    pub parent_id: Option<DepartmentId>,
    pub active: Option<bool>,
}
