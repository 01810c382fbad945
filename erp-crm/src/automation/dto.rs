use chrono::{DateTime, Utc};
use erp_core::ids::UserId;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{RuleId, StageId, TeamId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A deal enters `stage_id`: a task for the deal's owner, due in `days`.
    DealStageEntered,
    /// A call comes from a number, or an e-mail from an address, that no customer has: a lead
    /// is made (and a task, if titled).
    UnknownCaller,
    /// A customer has had no contact for `days`: a follow-up task for its owner (made by
    /// `POST /crm/automation/sweep`, which a scheduler calls).
    NoContact,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    pub trigger: Trigger,
    pub stage_id: Option<StageId>,
    /// Days until the task is due (or without contact), 0 to 3650.
    pub days: i32,
    /// The title of the task the rule makes.
    pub task_title: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleResponse {
    pub id: RuleId,
    pub trigger: Trigger,
    pub stage_id: Option<StageId>,
    pub days: i32,
    pub task_title: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<RuleResponse>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SweepResult {
    /// Follow-up tasks made by `no_contact` rules.
    pub tasks_created: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// In turn, one after another.
    RoundRobin,
    /// To the member with the fewest open deals and open tasks.
    LeastLoaded,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentSettings {
    pub strategy: Strategy,
    /// The managers new leads go to, in order.
    pub members: Vec<UserId>,
    /// Draw from this team's members instead (as the team is when the lead comes in);
    /// `members` must then be empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkloadLine {
    pub user_id: UserId,
    pub username: String,
    pub customers: i64,
    pub open_deals: i64,
    pub open_deals_value: Money,
    pub open_tasks: i64,
    pub overdue_tasks: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Workload {
    pub items: Vec<WorkloadLine>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignRequest {
    /// Everything goes to this manager; without it, each customer goes by the assignment
    /// strategy (the leaving manager excluded).
    pub to_user_id: Option<UserId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReassignResult {
    pub customers: u32,
    pub deals: u32,
    pub tasks: u32,
}
