//! The tickets' wire types.

use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{SalesOrderId, TeamId, TicketId};

pub use crate::task::dto::Priority;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    Complaint,
    Service,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicketRequest {
    pub customer_id: PartnerId,
    pub order_id: Option<SalesOrderId>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    /// What went wrong ("late delivery", "damaged"): complaints are reported by cause.
    pub cause: Option<String>,
    /// Default normal. The SLA follows it: high 8 hours, normal 24, low 72.
    pub priority: Option<Priority>,
    /// Overrides the SLA the priority gives.
    pub sla_due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveTicketRequest {
    pub resolution: String,
}

pub use crate::states::TicketStatus;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketResponse {
    pub id: TicketId,
    pub customer_id: PartnerId,
    pub order_id: Option<SalesOrderId>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    pub cause: Option<String>,
    pub priority: Priority,
    pub status: TicketStatus,
    pub owner_id: UserId,
    pub sla_due_at: DateTime<Utc>,
    /// Open past its SLA, or resolved after it.
    pub sla_breached: bool,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    pub customer_id: Option<PartnerId>,
    #[param(inline)]
    pub status: Option<TicketStatus>,
    /// Only tickets past their SLA.
    pub breached: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TicketList {
    /// By SLA due time, most urgent first.
    pub items: Vec<TicketResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Complaints owned by one manager, a team's members or a branch's managers.
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
    pub branch_id: Option<BranchId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintLine {
    /// The first day of the month.
    pub month: NaiveDate,
    pub cause: String,
    pub count: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintReport {
    pub lines: Vec<ComplaintLine>,
}
