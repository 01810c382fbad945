use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use erp_finance::ids::{PaymentTermsId, TaxGroupId, TaxId};
use erp_finance::invoice::dto::InvoiceRef;
use erp_inventory::ids::{ItemId, LocationId, ReservationId, WarehouseId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DealId, SalesOrderId};

pub use crate::states::OrderStatus;

/// What of an order may be invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoicePolicy {
    /// What has been delivered and not yet invoiced.
    #[default]
    Delivered,
    /// What has been ordered and not yet invoiced, once the order is confirmed (advance
    /// billing); a cancelled order bills what it delivered.
    Ordered,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineInput {
    pub item_id: ItemId,
    /// In the item's base unit.
    pub quantity: Qty,
    /// Per base unit, before the discount (default: the item's `sales_price`).
    pub unit_price: Option<Price>,
    /// 0 to 100 (default 0).
    pub discount_percent: Option<Qty>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderRequest {
    pub customer_id: PartnerId,
    /// The deal (quote) the order comes from, if any.
    pub deal_id: Option<DealId>,
    /// The storage location the goods are reserved in and shipped from; or `warehouse_id`.
    pub location_id: Option<LocationId>,
    /// Ship from this warehouse's `STOCK` location (instead of `location_id`).
    pub warehouse_id: Option<WarehouseId>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    /// Default `delivered`.
    pub invoice_policy: Option<InvoicePolicy>,
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
    /// When the goods left (default now): the business date of the delivery's stock moves;
    /// limits as for a stock move.
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineResponse {
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
    pub delivered_quantity: Qty,
    /// Billed by the order's invoices that stand (drafts and posted ones).
    pub invoiced_quantity: Qty,
    pub reservation_id: Option<ReservationId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceOrderLine {
    pub line_no: i32,
    pub quantity: Qty,
}

/// Invoices an order: the customer invoice bills, line by line, what the order's policy
/// allows and no invoice bills yet.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceOrderRequest {
    /// Default: today.
    pub invoice_date: Option<NaiveDate>,
    /// Default: everything the policy allows and is not yet invoiced.
    pub lines: Option<Vec<InvoiceOrderLine>>,
    /// The tax of every line, if any.
    pub tax_id: Option<TaxId>,
    /// Several taxes on every line instead (a tax group); not with `tax_id`.
    pub tax_group_id: Option<TaxGroupId>,
    pub payment_terms_id: Option<PaymentTermsId>,
    /// Default: from the payment terms, else the invoice date.
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
    /// Post at once (needs `finance.invoice.post`); default: a draft.
    #[serde(default)]
    pub post: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderResponse {
    pub id: SalesOrderId,
    /// SO-2027-000001
    pub number: String,
    pub customer_id: PartnerId,
    pub deal_id: Option<DealId>,
    pub location_id: LocationId,
    pub status: OrderStatus,
    pub currency: String,
    pub total: Money,
    pub notes: Option<String>,
    pub invoice_policy: InvoicePolicy,
    pub lines: Vec<OrderLineResponse>,
    /// The invoices that stand (drafts and posted ones), oldest first.
    pub invoices: Vec<InvoiceRef>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    pub customer_id: Option<PartnerId>,
    pub status: Option<OrderStatus>,
}

erp_core::page_type!(OrderPage, OrderResponse);
