use chrono::{DateTime, Utc};
use erp_core::ids::UserId;
use erp_core::money::{Money, Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ItemId, LocationId, MoveId, ReservationId, UomId, WarehouseId};

erp_core::text_enum! {
    pub enum MoveType {
        /// Into a location from outside (supplier, opening balance): `to_location_id`.
        Receipt = "receipt",
        /// Out of a location to outside (sale, consumption): `from_location_id`.
        Issue = "issue",
        /// Between two locations, also across warehouses.
        Transfer = "transfer",
        /// A count correction: `to_location_id` adds, `from_location_id` removes.
        Adjustment = "adjustment",
        /// To the warehouse's scrap location (or the scrap location given).
        Scrap = "scrap",
        /// Made by `POST /stock-moves/{id}/reverse` only.
        Reversal = "reversal",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostMoveRequest {
    pub move_type: MoveType,
    pub item_id: ItemId,
    /// In `uom_id`, or the item's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    pub from_location_id: Option<LocationId>,
    pub to_location_id: Option<LocationId>,
    /// Lot or serial number; required for tracked items.
    pub lot: Option<String>,
    /// Cost per base unit of what comes in (receipts, positive adjustments); default: the
    /// item's standard cost (receipts) or the current average (adjustments).
    pub unit_cost: Option<Price>,
    /// The document this move belongs to, e.g. `purchase_order` and its id.
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    /// Issue against this reservation (it is consumed by the quantity issued).
    pub reservation_id: Option<ReservationId>,
    pub note: Option<String>,
    /// The business date: when the goods really moved (default now). It may lie back as
    /// far as the company's `stock_backdate_days` and never in a closed fiscal period, and at
    /// most five minutes ahead. A move dated before later moves of the item in the same
    /// warehouse re-costs them from this date on.
    pub effective_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseMoveRequest {
    pub note: Option<String>,
    /// The business date of the reversal (default now); not before the move reversed.
    pub effective_at: Option<DateTime<Utc>>,
}

/// What an outgoing move took from one cost layer (FIFO and specific identification).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TakenLayer {
    /// The incoming move that made the layer.
    pub receipt_move_id: MoveId,
    /// Business date of that move.
    pub received_at: DateTime<Utc>,
    pub lot: Option<String>,
    pub quantity: Qty,
    pub cost: Money,
}

/// A posted move. `quantity` is in the item's base unit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StockMoveResponse {
    pub id: MoveId,
    pub move_type: MoveType,
    pub item_id: ItemId,
    pub quantity: Qty,
    pub entered_quantity: Qty,
    pub entered_uom_id: UomId,
    pub from_location_id: Option<LocationId>,
    pub to_location_id: Option<LocationId>,
    pub lot: Option<String>,
    pub unit_cost: Price,
    /// The value the move carried: cost of what went out, or value of what came in.
    pub total_cost: Money,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub reservation_id: Option<ReservationId>,
    pub reversal_of_id: Option<MoveId>,
    pub note: Option<String>,
    /// When the move was recorded.
    pub posted_at: DateTime<Utc>,
    /// The business date the move is costed and reported at.
    pub effective_at: DateTime<Utc>,
    pub user_id: UserId,
    /// The cost layers it took, oldest first (outgoing moves of FIFO and specific
    /// identification items); empty otherwise. A re-costing by a backdated move shows here.
    pub layers: Vec<TakenLayer>,
}

erp_core::page_type!(StockMovePage, StockMoveResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MoveListQuery {
    pub item_id: Option<ItemId>,
    pub warehouse_id: Option<WarehouseId>,
    pub location_id: Option<LocationId>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    /// Posted at or after.
    pub from: Option<DateTime<Utc>>,
    /// Posted before.
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    pub item_id: Option<ItemId>,
    pub warehouse_id: Option<WarehouseId>,
    pub location_id: Option<LocationId>,
    pub lot: Option<String>,
    /// Stock as it was at this instant, by business date (reserved and available are then
    /// absent).
    pub as_of: Option<DateTime<Utc>>,
    /// Include rows whose on-hand quantity is zero.
    #[serde(default)]
    pub include_zero: bool,
}

/// Stock of an item in one location and lot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StockLine {
    pub item_id: ItemId,
    pub sku: String,
    pub warehouse_id: WarehouseId,
    pub location_id: LocationId,
    pub location_code: String,
    pub lot: Option<String>,
    pub on_hand: Qty,
    pub reserved: Option<Qty>,
    /// On hand minus reserved, in locations stock can be taken from.
    pub available: Option<Qty>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StockReport {
    pub as_of: Option<DateTime<Utc>>,
    pub items: Vec<StockLine>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockCardQuery {
    pub warehouse_id: Option<WarehouseId>,
    pub location_id: Option<LocationId>,
    /// Moves dated (business date) at or after (default: the beginning).
    pub from: Option<DateTime<Utc>>,
    /// Moves dated before (default: now).
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StockCardLine {
    pub move_id: MoveId,
    pub posted_at: DateTime<Utc>,
    /// The business date; lines are in this order.
    pub effective_at: DateTime<Utc>,
    pub move_type: MoveType,
    pub quantity_in: Qty,
    pub quantity_out: Qty,
    /// On hand in the scope after this move.
    pub balance: Qty,
    pub total_cost: Money,
    pub lot: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}

/// Every move of an item in a scope with the running balance.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StockCard {
    pub item_id: ItemId,
    pub opening_balance: Qty,
    pub closing_balance: Qty,
    pub lines: Vec<StockCardLine>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuationQuery {
    pub item_id: Option<ItemId>,
    pub warehouse_id: Option<WarehouseId>,
    /// Value as it was at this instant, by business date (backdated moves and the
    /// re-costings they caused included).
    pub as_of: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ValuationLine {
    pub item_id: ItemId,
    pub sku: String,
    pub warehouse_id: WarehouseId,
    pub quantity: Qty,
    pub value: Money,
    /// Value / quantity (6 places); zero when there is no stock.
    pub average_unit_cost: Price,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ValuationReport {
    pub as_of: Option<DateTime<Utc>>,
    pub items: Vec<ValuationLine>,
    pub total_value: Money,
}

/// A warehouse's opening stock in one request: each line is posted as a receipt with
/// reference `opening_balance`, all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningBalancesRequest {
    pub warehouse_id: WarehouseId,
    /// The go-live date or instant of every line (default now), under the same rules as a
    /// move's `effective_at`.
    pub effective_at: Option<DateTime<Utc>>,
    #[schema(min_items = 1, max_items = 1000)]
    pub lines: Vec<OpeningLine>,
}

/// One item's opening stock in one location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningLine {
    pub item_id: ItemId,
    /// In `uom_id`, or the item's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    /// A location of the warehouse (default: its `STOCK` location).
    pub location_id: Option<LocationId>,
    /// Cost per base unit (default: the item's standard cost).
    pub unit_cost: Option<Price>,
    /// Lot or serial number; required for tracked items.
    pub lot: Option<String>,
}

/// The receipts an opening-balance request posted, in the order of its lines.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpeningBalances {
    pub moves: Vec<StockMoveResponse>,
}
