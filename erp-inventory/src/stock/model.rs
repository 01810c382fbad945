use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    cost_layer_takes, cost_layers, stock_balances, stock_moves, stock_value_entries,
};
use erp_core::ids::{CompanyId, UserId};

use super::dto::MoveType;
use crate::ids::{ItemId, LocationId, UomId, WarehouseId};

/// One posted move. Quantities ×10^6 in the item's base unit, unit cost ×10^6, money ×10^4.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = stock_moves)]
pub struct StockMove {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub move_type: MoveType,
    pub quantity: i64,
    pub entered_quantity: i64,
    pub entered_uom_id: UomId,
    pub from_location_id: Option<LocationId>,
    pub to_location_id: Option<LocationId>,
    pub lot: String,
    pub unit_cost: i64,
    pub total_cost: i64,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub reservation_id: Option<String>,
    pub reversal_of_id: Option<String>,
    pub note: Option<String>,
    pub posted_at: NaiveDateTime,
    pub user_id: UserId,
    /// The business date: orders the move for costing and "as of" questions.
    pub effective_at: NaiveDateTime,
}

impl StockMove {
    /// Where the move stands on the business-date timeline.
    pub fn key(&self) -> Key {
        (self.effective_at, self.id.clone())
    }
}

/// A place on the timeline of moves: business date, then the (time-ordered) id.
pub type Key = (NaiveDateTime, String);

/// Kinds of value entry.
pub const ENTRY_MOVE: &str = "move";
/// A later move re-costed by a backdated one (`caused_by_move_id`).
pub const ENTRY_RECOST: &str = "recost";
/// Value left behind when a moving-average position reached zero units.
pub const ENTRY_RESIDUE: &str = "residue";

/// What a move did to the value of stock in one warehouse (signed).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = stock_value_entries, treat_none_as_default_value = false)]
pub struct ValueEntry {
    pub id: String,
    pub move_id: String,
    pub item_id: ItemId,
    pub warehouse_id: WarehouseId,
    pub quantity: i64,
    pub value: i64,
    pub posted_at: NaiveDateTime,
    pub effective_at: NaiveDateTime,
    pub kind: String,
    pub caused_by_move_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stock_balances)]
pub struct Balance {
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: String,
    pub on_hand: i64,
    pub reserved: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cost_layers)]
pub struct CostLayer {
    pub id: String,
    pub item_id: ItemId,
    pub warehouse_id: WarehouseId,
    pub move_id: String,
    pub quantity_remaining: i64,
    pub value_remaining: i64,
    pub created_at: NaiveDateTime,
    pub effective_at: NaiveDateTime,
    pub lot: String,
}

/// What an outgoing move took from one layer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cost_layer_takes, treat_none_as_default_value = false)]
pub struct LayerTake {
    pub id: String,
    pub move_id: String,
    pub layer_id: String,
    pub quantity: i64,
    pub value: i64,
}
