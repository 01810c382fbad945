//! The notifications' and message templates' wire types.

use chrono::{DateTime, Utc};
use erp_core::ids::PartnerId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{NotificationId, SalesOrderId, TemplateId};

/// The order events a customer can be told about; `order.shipped` is a part delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum OrderEvent {
    #[serde(rename = "order.confirmed")]
    Confirmed,
    #[serde(rename = "order.shipped")]
    Shipped,
    #[serde(rename = "order.delivered")]
    Delivered,
    #[serde(rename = "order.cancelled")]
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    pub event: OrderEvent,
    pub channel: Channel,
    /// Required for e-mail.
    pub subject: Option<String>,
    /// Text with placeholders: `{{customer_name}}`, `{{order_number}}`, `{{order_status}}`,
    /// `{{order_total}}`, `{{currency}}`.
    pub body: String,
    /// Default true; false keeps the template but sends nothing.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TemplateResponse {
    pub id: TemplateId,
    pub event: OrderEvent,
    pub channel: Channel,
    pub subject: Option<String>,
    pub body: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<TemplateResponse>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub customer_id: Option<PartnerId>,
    pub order_id: Option<SalesOrderId>,
}

/// Where a notification stands: waiting at the gateway, delivered, failed there, or never sent
/// (`skipped_reason` says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    Pending,
    Delivered,
    Failed,
    Skipped,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationResponse {
    pub id: NotificationId,
    pub customer_id: PartnerId,
    pub order_id: Option<SalesOrderId>,
    pub event: OrderEvent,
    pub channel: Channel,
    /// The phone number or e-mail address it went to.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub status: NotificationStatus,
    /// Why it was skipped: no phone or e-mail on the card, no gateway subscribed.
    pub skipped_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub items: Vec<NotificationResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}
