use chrono::{DateTime, Utc};
use erp_core::ids::{PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::document::service::DocumentResponse;
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
    pub customer_id: PartnerId,
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
    pub customer_id: PartnerId,
    /// False when the e-mail or phone belonged to a customer already: the message was added
    /// to that customer instead of making a duplicate.
    pub created: bool,
    pub owner_id: Option<UserId>,
}

/// A received e-mail, as a mail gateway hands it over.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundEmail {
    /// The sender: `anna@nord.example` or `Anna Petrova <anna@nord.example>`.
    #[schema(min_length = 3, max_length = 400)]
    pub from: String,
    /// The recipients, as the message names them.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub to: Vec<String>,
    #[schema(max_length = 2000)]
    pub subject: Option<String>,
    /// The plain-text body. Past 20,000 characters the interaction keeps the beginning and
    /// the whole text is kept as the document `message.txt`.
    pub text: Option<String>,
    /// When the message was received (default: now).
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub attachments: Vec<EmailAttachment>,
}

/// A file attached to a received e-mail.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailAttachment {
    pub file_name: String,
    /// The type the message gives the file, e.g. `application/pdf`.
    pub content_type: String,
    /// The file's bytes, base64 (standard alphabet, padded).
    pub content_base64: String,
}

/// An attachment that was not kept, and why (a type documents do not take, too large).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SkippedAttachment {
    pub file_name: String,
    pub reason: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmailLogged {
    pub customer_id: PartnerId,
    /// The sender was unknown and an unknown-caller rule made a lead of them.
    pub created_lead: bool,
    pub interaction: InteractionResponse,
    /// The attachments kept as documents of the customer, in the message's order.
    pub documents: Vec<DocumentResponse>,
    pub skipped_attachments: Vec<SkippedAttachment>,
}
