use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ids::WebhookId;

/// Events a webhook may subscribe to.
pub const EVENT_TYPES: &[&str] = &[
    "customer.created",
    "deal.created",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "task.created",
    "task.due",
    "interaction.created",
    "order.confirmed",
    "order.shipped",
    "order.delivered",
    "order.cancelled",
    "order.invoiced",
    "notification.sms",
    "notification.email",
];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where events are posted (`http://`; put a TLS-terminating proxy in front for https).
    pub url: String,
    /// Event types: `customer.created`, `deal.created`, `deal.stage_changed`, `deal.won`,
    /// `deal.lost`, `task.created`, `task.due`, `interaction.created`, `order.confirmed`,
    /// `order.shipped` (part delivered), `order.delivered`, `order.cancelled`, `order.invoiced`;
    /// or `["*"]` for all of those. An SMS or e-mail gateway subscribes to `notification.sms` or
    /// `notification.email`: customers' messages from the message templates (never sent to `*`).
    pub event_types: Vec<String>,
    /// The HMAC key; default: a random one, returned once.
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookResponse {
    pub id: WebhookId,
    pub url: String,
    pub event_types: Vec<String>,
    pub active: bool,
    /// Only in the answer to the creation: the key of the `X-Erp-Signature` HMAC.
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookResponse>,
}

pub use crate::states::DeliveryStatus;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryResponse {
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryLog {
    /// Newest first.
    pub items: Vec<DeliveryResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
