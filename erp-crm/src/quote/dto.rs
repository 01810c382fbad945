//! The quotes' wire types.

use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use erp_inventory::ids::{ItemId, LocationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DealId, QuoteId, SalesOrderId};
use crate::order::dto::OrderLineInput;

pub use crate::states::QuoteStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQuoteRequest {
    /// The last day the offer holds.
    pub valid_until: Option<NaiveDate>,
    /// Default the company's currency.
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<OrderLineInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteToOrderRequest {
    /// The storage location the order ships from.
    pub location_id: LocationId,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteLineResponse {
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteResponse {
    pub id: QuoteId,
    /// QT-2026-000001
    pub number: String,
    pub deal_id: DealId,
    pub customer_id: PartnerId,
    pub status: QuoteStatus,
    pub currency: String,
    pub valid_until: Option<NaiveDate>,
    /// Past `valid_until` and not yet accepted or ordered.
    pub expired: bool,
    pub total: Money,
    pub notes: Option<String>,
    /// The sales order made from it.
    pub order_id: Option<SalesOrderId>,
    pub lines: Vec<QuoteLineResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    pub deal_id: Option<DealId>,
    pub customer_id: Option<PartnerId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuoteList {
    /// Newest first.
    pub items: Vec<QuoteResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

crate::order::print::sales_line_from!(QuoteLineResponse);
