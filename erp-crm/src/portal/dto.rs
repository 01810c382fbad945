//! The customer portal's wire types.

use chrono::{DateTime, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{PortalAccountId, SalesOrderId};
use crate::states::OrderStatus;
use crate::ticket::dto::{TicketKind, TicketResponse};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePortalAccountRequest {
    /// What the customer logs in with (usually an e-mail address); unique.
    pub login: String,
    /// The person using the account.
    pub name: String,
    /// At least 8 characters.
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PortalAccountResponse {
    pub id: PortalAccountId,
    pub customer_id: PartnerId,
    pub login: String,
    pub name: String,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalAccountList {
    pub items: Vec<PortalAccountResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalLoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalTokenResponse {
    /// Send as `Authorization: Bearer <access_token>` to `/api/v1/portal/...` only.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires; log in again then.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalMe {
    pub account_id: PortalAccountId,
    pub name: String,
    pub customer_id: PartnerId,
    pub customer_name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrderLine {
    pub line_no: i32,
    pub sku: String,
    pub item_name: String,
    pub quantity: Qty,
    pub delivered_quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrder {
    pub id: SalesOrderId,
    pub number: String,
    pub status: OrderStatus,
    pub currency: String,
    pub total: Money,
    pub lines: Vec<PortalOrderLine>,
    pub created_at: DateTime<Utc>,
    /// When the status last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrderList {
    /// Newest first; drafts are internal and not shown.
    pub items: Vec<PortalOrder>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

/// The period of the customer's statement.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PortalStatementQuery {
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day (default: today).
    pub to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalTicketRequest {
    /// One of the customer's orders, if the ticket is about one.
    pub order_id: Option<SalesOrderId>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    /// What went wrong; a complaint needs it.
    pub cause: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalTicketList {
    /// Newest first.
    pub items: Vec<TicketResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}
