use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::interaction::dto::{Direction, InteractionResponse};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallEvent {
    /// The other party's number, in any formatting.
    pub phone: String,
    pub direction: Direction,
    pub duration_seconds: i32,
    /// A configured call outcome; default `done`.
    pub outcome: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallLogged {
    pub customer_id: Uuid,
    /// The number was unknown and an unknown-caller rule made a lead of it.
    pub created_lead: bool,
    pub interaction: InteractionResponse,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebLead {
    /// The person's name.
    pub name: String,
    /// Their organisation, if they gave one.
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: Option<String>,
    /// Default "web form".
    pub source: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadReceived {
    pub customer_id: Uuid,
    /// False when the e-mail or phone belonged to a customer already: the message was added
    /// to that customer instead of making a duplicate.
    pub created: bool,
    pub owner_id: Option<Uuid>,
}
