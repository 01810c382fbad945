//! The targets' wire types.

use chrono::NaiveDate;
use erp_core::ids::UserId;
use erp_core::money::{Money, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::TargetId;

/// What a target counts. `contacts`: interactions with customers other than notes (calls,
/// meetings, visits, e-mails) the manager recorded; `meetings`: meetings and visits;
/// `deals_closed`: deals the manager owns won in the period; `revenue`: their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Contacts,
    Meetings,
    DealsClosed,
    Revenue,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    pub user_id: UserId,
    pub metric: Metric,
    pub period_start: NaiveDate,
    /// The last day of the period.
    pub period_end: NaiveDate,
    /// A count, or money for revenue.
    pub target: Money,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Default the caller; others need `crm.all`, or to be in a team the caller leads.
    pub user_id: Option<UserId>,
    /// Targets whose period contains this date (default today).
    pub date: Option<NaiveDate>,
    /// The targets of every manager the caller works for instead: themselves, the members of
    /// the teams they lead, everyone with `crm.all` (a team lead's view). Not with `user_id`.
    pub team: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    pub target_id: TargetId,
    pub user_id: UserId,
    pub username: String,
    pub metric: Metric,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: Money,
    pub actual: Money,
    /// What is left to reach the target (0 once reached).
    pub remaining: Money,
    pub percent: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressList {
    pub items: Vec<Progress>,
}
