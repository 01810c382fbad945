use chrono::{DateTime, Utc};
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{CountId, CountLineId, ItemId, LocationId, MoveId, WarehouseId};
use crate::stock::dto::StockMoveResponse;
use crate::valuation::abc::AbcClass;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountKind {
    /// Everything in the warehouse (or the locations given).
    Full,
    /// A part: some locations, or the items of one ABC class.
    Cycle,
}

erp_core::text_enum! {
    pub enum CountStatus {
        Open = "open",
        Approved = "approved",
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCountRequest {
    pub warehouse_id: WarehouseId,
    pub kind: CountKind,
    /// Count only these locations (default: every storage and receiving location).
    #[serde(default)]
    pub location_ids: Vec<LocationId>,
    /// Count only the items of this class by value (cycle counts).
    pub abc_class: Option<AbcClass>,
    pub notes: Option<String>,
    /// Count as of this past instant (the last day of the month): expected quantities are on
    /// hand then, and the adjustments are dated then. Limits as for a stock move's business
    /// date. Default: as of approval.
    pub as_of: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountEntry {
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: Option<String>,
    /// What was found, in the item's base unit.
    pub counted_quantity: Qty,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterCountsRequest {
    pub entries: Vec<CountEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountLineResponse {
    pub id: CountLineId,
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: Option<String>,
    /// On hand when the session started.
    pub expected_quantity: Qty,
    pub counted_quantity: Option<Qty>,
    /// counted - expected, once counted.
    pub difference: Option<Qty>,
    pub adjustment_move_id: Option<MoveId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountResponse {
    pub id: CountId,
    /// CNT-2026-000001
    pub number: String,
    pub warehouse_id: WarehouseId,
    pub kind: CountKind,
    pub abc_class: Option<AbcClass>,
    pub status: CountStatus,
    pub notes: Option<String>,
    /// The instant counted as of; absent: as of approval.
    pub as_of: Option<DateTime<Utc>>,
    pub lines: Vec<CountLineResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(CountPage, CountResponse);

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountApprovalResponse {
    pub count: CountResponse,
    /// The adjustment moves posted for the differences.
    pub moves: Vec<StockMoveResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountListQuery {
    pub warehouse_id: Option<WarehouseId>,
}
