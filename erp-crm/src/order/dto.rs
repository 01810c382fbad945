use chrono::{DateTime, Utc};
use erp_core::money::{Money, Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Draft,
    Confirmed,
    PartiallyDelivered,
    Delivered,
    Cancelled,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineInput {
    pub item_id: Uuid,
    /// In the item's base unit.
    pub quantity: Qty,
    /// Per base unit, before the discount.
    pub unit_price: Price,
    /// 0 to 100 (default 0).
    pub discount_percent: Option<Qty>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderRequest {
    pub customer_id: Uuid,
    /// The deal (quote) the order comes from, if any.
    pub deal_id: Option<Uuid>,
    /// The storage location the goods are reserved in and shipped from.
    pub location_id: Uuid,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<OrderLineInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverLine {
    pub line_no: i32,
    pub quantity: Qty,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverRequest {
    /// Default: everything still to deliver.
    pub lines: Option<Vec<DeliverLine>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineResponse {
    pub line_no: i32,
    pub item_id: Uuid,
    pub quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
    pub delivered_quantity: Qty,
    pub reservation_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderResponse {
    pub id: Uuid,
    /// SO-2027-000001
    pub number: String,
    pub customer_id: Uuid,
    pub deal_id: Option<Uuid>,
    pub location_id: Uuid,
    pub status: OrderStatus,
    pub currency: String,
    pub total: Money,
    pub notes: Option<String>,
    pub lines: Vec<OrderLineResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    pub customer_id: Option<Uuid>,
    pub status: Option<OrderStatus>,
}

erp_core::page_type!(OrderPage, OrderResponse);
