use chrono::{DateTime, Utc};
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ItemId, LocationId, TransferId, TransferLineId, WarehouseId};
use crate::stock::dto::StockMoveResponse;

erp_core::text_enum! {
    pub enum TransferStatus {
        Draft = "draft",
        Shipped = "shipped",
        PartiallyReceived = "partially_received",
        Received = "received",
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferLineInput {
    pub item_id: ItemId,
    /// In the item's base unit.
    pub quantity: Qty,
    pub lot: Option<String>,
    /// Where the goods are taken from; default: the sender's STOCK location.
    pub from_location_id: Option<LocationId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTransferRequest {
    pub from_warehouse_id: WarehouseId,
    pub to_warehouse_id: WarehouseId,
    pub notes: Option<String>,
    pub lines: Vec<TransferLineInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferReceiptLine {
    pub line_id: TransferLineId,
    pub quantity: Qty,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveTransferRequest {
    /// Where the goods go; default: the destination's RECEIVING location.
    pub location_id: Option<LocationId>,
    pub lines: Vec<TransferReceiptLine>,
    /// When the goods arrived (default now); not before they were shipped. Limits as for a
    /// move.
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseTransferRequest {
    /// Scrap what was shipped but never arrived (default: leave it in transit).
    #[serde(default)]
    pub write_off_difference: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransferLineResponse {
    pub id: TransferLineId,
    pub line_no: i32,
    pub item_id: ItemId,
    pub from_location_id: LocationId,
    pub lot: Option<String>,
    pub quantity: Qty,
    pub received_quantity: Qty,
    pub written_off_quantity: Qty,
    /// Shipped but neither received nor written off: still in transit.
    pub difference: Qty,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransferResponse {
    pub id: TransferId,
    /// TR-2026-000001
    pub number: String,
    pub from_warehouse_id: WarehouseId,
    pub to_warehouse_id: WarehouseId,
    pub status: TransferStatus,
    pub notes: Option<String>,
    pub lines: Vec<TransferLineResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(TransferPage, TransferResponse);

/// A transfer after an action, with the moves the action posted.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransferActionResponse {
    pub transfer: TransferResponse,
    pub moves: Vec<StockMoveResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferListQuery {
    pub status: Option<TransferStatus>,
    /// Transfers from or to this warehouse.
    pub warehouse_id: Option<WarehouseId>,
}
