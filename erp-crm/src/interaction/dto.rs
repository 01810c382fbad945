use chrono::{DateTime, Utc};
use erp_core::ids::{PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ContactId, DealId, InteractionId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Call,
    Meeting,
    Email,
    Note,
    Visit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

/// An interaction with its minimum record: a call needs direction, duration and outcome; a
/// meeting or visit needs the contact person, topic and result; an e-mail its topic; a note
/// its text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInteractionRequest {
    pub kind: InteractionKind,
    /// When it took place or is planned. Required for a meeting or visit; calls, e-mails and
    /// notes default to now.
    pub occurred_at: Option<DateTime<Utc>>,
    /// One of the customer's contact people.
    pub contact_id: Option<ContactId>,
    pub direction: Option<Direction>,
    pub duration_seconds: Option<i32>,
    /// A code of the configured call outcomes (`GET /crm/call-outcomes`).
    pub outcome: Option<String>,
    pub topic: Option<String>,
    pub result: Option<String>,
    pub body: Option<String>,
    pub deal_id: Option<DealId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InteractionResponse {
    pub id: InteractionId,
    pub customer_id: PartnerId,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub user_id: UserId,
    pub contact_id: Option<ContactId>,
    pub direction: Option<Direction>,
    pub duration_seconds: Option<i32>,
    pub outcome: Option<String>,
    pub topic: Option<String>,
    pub result: Option<String>,
    pub body: Option<String>,
    pub deal_id: Option<DealId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InteractionListQuery {
    pub kind: Option<InteractionKind>,
}

erp_core::page_type!(InteractionPage, InteractionResponse);

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CallOutcome {
    pub code: String,
    pub label: String,
    pub active: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallOutcomeRequest {
    /// Lowercase letters, digits and underscores, e.g. `call_back`.
    pub code: String,
    pub label: String,
    /// Default true; false retires the outcome for new calls.
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallOutcomeList {
    pub items: Vec<CallOutcome>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingResultRequest {
    /// What came of the meeting.
    pub result: String,
}
