use chrono::{DateTime, Utc};
use erp_core::ids::{PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DealId, TaskId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
}

pub use crate::states::TaskStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    pub title: String,
    pub notes: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Default normal.
    pub priority: Option<Priority>,
    /// Default: whoever creates the task. Another user needs `crm.all`.
    pub assignee_id: Option<UserId>,
    pub customer_id: Option<PartnerId>,
    pub deal_id: Option<DealId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskResponse {
    pub id: TaskId,
    pub title: String,
    pub notes: Option<String>,
    pub due_at: DateTime<Utc>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub assignee_id: UserId,
    pub customer_id: Option<PartnerId>,
    pub deal_id: Option<DealId>,
    /// Open and past its due time.
    pub overdue: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub created_by: UserId,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskView {
    /// Open tasks past their due time.
    Overdue,
    /// Open tasks due within `hours` (default 24) from now.
    DueSoon,
    /// All open tasks.
    Open,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Default: the caller. Someone else's list needs `crm.all`.
    pub assignee_id: Option<UserId>,
    /// Default open.
    #[param(inline)]
    pub view: Option<TaskView>,
    /// For `due_soon`: the window in hours (1 to 720, default 24).
    pub hours: Option<i64>,
    pub customer_id: Option<PartnerId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskList {
    /// By due time, most urgent first.
    pub items: Vec<TaskResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}
