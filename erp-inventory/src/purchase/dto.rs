use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use erp_finance::ids::{PaymentTermsId, TaxGroupId, TaxId};
use erp_finance::invoice::dto::InvoiceRef;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{
    ItemId, LocationId, PurchaseOrderId, PurchaseOrderLineId, SupplierPriceId, UomId, WarehouseId,
};
use crate::stock::dto::StockMoveResponse;

erp_core::text_enum! {
    pub enum PurchaseOrderStatus {
        Draft = "draft",
        Confirmed = "confirmed",
        PartiallyReceived = "partially_received",
        Received = "received",
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderLineInput {
    pub item_id: ItemId,
    /// In `uom_id`, or the item's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    /// Per base unit; default: the supplier's price for this quantity.
    pub unit_price: Option<Price>,
    pub expected_date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePurchaseOrderRequest {
    pub id: Option<PurchaseOrderId>,
    /// A business partner with the supplier role.
    pub supplier_id: PartnerId,
    /// Where the goods are delivered.
    pub warehouse_id: WarehouseId,
    /// Default: the company's currency.
    pub currency: Option<String>,
    /// Default: today (UTC).
    pub order_date: Option<NaiveDate>,
    pub expected_date: Option<NaiveDate>,
    /// How many percent more than ordered a receipt may bring (default 0).
    pub over_receipt_tolerance: Option<Qty>,
    pub notes: Option<String>,
    pub lines: Vec<PurchaseOrderLineInput>,
}

/// Changes to a draft order; `lines` replaces all lines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePurchaseOrderRequest {
    pub expected_date: Option<NaiveDate>,
    pub over_receipt_tolerance: Option<Qty>,
    pub notes: Option<String>,
    pub lines: Option<Vec<PurchaseOrderLineInput>>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PurchaseOrderLineResponse {
    pub id: PurchaseOrderLineId,
    pub line_no: i32,
    pub item_id: ItemId,
    /// In the item's base unit.
    pub quantity: Qty,
    pub unit_price: Price,
    pub line_total: Money,
    pub received_quantity: Qty,
    /// Still to come (never negative).
    pub open_quantity: Qty,
    /// Billed by the order's supplier bills that stand (drafts, held and posted ones).
    pub billed_quantity: Qty,
    pub expected_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PurchaseOrderResponse {
    pub id: PurchaseOrderId,
    /// PO-2026-000001
    pub number: String,
    pub supplier_id: PartnerId,
    pub warehouse_id: WarehouseId,
    pub status: PurchaseOrderStatus,
    pub currency: String,
    pub order_date: NaiveDate,
    pub expected_date: Option<NaiveDate>,
    pub over_receipt_tolerance: Qty,
    pub notes: Option<String>,
    pub total: Money,
    pub lines: Vec<PurchaseOrderLineResponse>,
    /// The supplier bills that stand, oldest first.
    pub bills: Vec<InvoiceRef>,
    /// Only in the answer to confirming it, under budget control `warn`: each account the
    /// order takes over the budget in force.
    pub budget_warnings: Vec<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(PurchaseOrderPage, PurchaseOrderResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseOrderListQuery {
    pub status: Option<PurchaseOrderStatus>,
    pub supplier_id: Option<PartnerId>,
    pub warehouse_id: Option<WarehouseId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLineInput {
    pub line_id: PurchaseOrderLineId,
    /// In the item's base unit.
    pub quantity: Qty,
    pub lot: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivePurchaseOrderRequest {
    /// Where the goods go; default: the warehouse's RECEIVING location.
    pub location_id: Option<LocationId>,
    pub lines: Vec<ReceiptLineInput>,
    /// When the goods arrived (default now): the business date of the receipt moves, and the
    /// day whose exchange rate values an order in another currency. Limits as for a move.
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PurchaseReceiptResponse {
    pub order: PurchaseOrderResponse,
    /// The receipt moves posted, one per line received.
    pub moves: Vec<StockMoveResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSupplierPriceRequest {
    pub supplier_id: PartnerId,
    pub item_id: ItemId,
    /// The price applies from this quantity on (base unit; default 0).
    pub min_quantity: Option<Qty>,
    /// Per base unit.
    pub price: Price,
    pub lead_time_days: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SupplierPriceResponse {
    pub id: SupplierPriceId,
    pub supplier_id: PartnerId,
    pub item_id: ItemId,
    pub min_quantity: Qty,
    pub price: Price,
    pub lead_time_days: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SupplierPriceList {
    pub items: Vec<SupplierPriceResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierPriceQuery {
    pub item_id: Option<ItemId>,
    pub supplier_id: Option<PartnerId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillOrderLine {
    pub line_no: i32,
    pub quantity: Qty,
    /// What the supplier charges per base unit; default: the order's price.
    pub unit_price: Option<Price>,
}

/// Bills a purchase order: a supplier bill for what was received and is not yet billed, or
/// the lines and prices the supplier's invoice names, matched three ways (ordered, received,
/// billed). Outside the company's tolerances the bill is kept held with the reasons.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillPurchaseOrderRequest {
    /// The supplier's invoice number.
    pub reference: String,
    /// Default: today.
    pub invoice_date: Option<NaiveDate>,
    /// Default: everything received and not yet billed, at the order's prices.
    pub lines: Option<Vec<BillOrderLine>>,
    /// The input tax of every line, if any.
    pub tax_id: Option<TaxId>,
    /// Several taxes on every line instead (a tax group); not with `tax_id`.
    pub tax_group_id: Option<TaxGroupId>,
    pub payment_terms_id: Option<PaymentTermsId>,
    pub due_date: Option<NaiveDate>,
    /// Post at once when the bill matches (needs `finance.invoice.post`); default: a draft.
    #[serde(default)]
    pub post: bool,
}
