use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::{Money, Qty};
use erp_inventory::ids::{ItemId, UomId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{BomId, BomLineId};

pub use crate::states::BomStatus;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BomLineInput {
    pub component_id: ItemId,
    /// Per `output_quantity` of the parent, in `uom_id` or the component's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    /// Share of the component lost in production: 0.05 = 5% (default 0, less than 1).
    pub scrap: Option<Qty>,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBomRequest {
    pub id: Option<BomId>,
    /// The item the BOM makes.
    pub item_id: ItemId,
    /// Revision label, unique per item (default: the next number).
    pub revision: Option<String>,
    /// The lines are the components of this many units of the item (default 1).
    pub output_quantity: Option<Qty>,
    pub notes: Option<String>,
    pub lines: Vec<BomLineInput>,
    /// Make it the item's active BOM at once (default false: a draft).
    pub activate: Option<bool>,
}

/// Changes to a draft BOM; `lines` replaces all lines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBomRequest {
    pub output_quantity: Option<Qty>,
    pub notes: Option<String>,
    pub lines: Option<Vec<BomLineInput>>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BomLineResponse {
    pub id: BomLineId,
    pub line_no: i32,
    pub component_id: ItemId,
    pub component_sku: String,
    /// In the component's base unit, per `output_quantity` of the parent.
    pub quantity: Qty,
    pub entered_quantity: Qty,
    pub entered_uom_id: UomId,
    pub scrap: Qty,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BomResponse {
    pub id: BomId,
    pub item_id: ItemId,
    pub item_sku: String,
    pub revision: String,
    pub status: BomStatus,
    pub output_quantity: Qty,
    pub notes: Option<String>,
    pub lines: Vec<BomLineResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BomListQuery {
    pub item_id: Option<ItemId>,
    pub status: Option<BomStatus>,
}

erp_core::page_type!(BomPage, BomResponse);

/// BOMs to create together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBomsRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub boms: Vec<CreateBomRequest>,
}

/// The BOMs a bulk create made, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BomBatch {
    pub boms: Vec<BomResponse>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExplosionQuery {
    /// How many units of the item to explode (default 1).
    pub quantity: Option<Qty>,
    /// Lines effective on this date (default today).
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExplosionLine {
    /// 1 for the item's direct components.
    pub level: u32,
    pub item_id: ItemId,
    pub sku: String,
    pub name: String,
    pub parent_id: ItemId,
    /// Per unit of the parent, scrap included.
    pub quantity_per: Qty,
    /// For the quantity exploded, scrap included.
    pub total_quantity: Qty,
    pub scrap: Qty,
    pub phantom: bool,
    /// Make items have BOMs of their own (exploded below them).
    pub make: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Explosion {
    pub item_id: ItemId,
    pub quantity: Qty,
    pub date: NaiveDate,
    /// Depth first, in line order: an indented bill.
    pub lines: Vec<ExplosionLine>,
    /// Leaf components summed over the whole structure (a summarised bill).
    pub totals: Vec<ExplosionTotal>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExplosionTotal {
    pub item_id: ItemId,
    pub sku: String,
    pub total_quantity: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WhereUsedLine {
    /// 1 for BOMs that use the item directly.
    pub level: u32,
    pub item_id: ItemId,
    pub sku: String,
    pub bom_id: BomId,
    pub revision: String,
    /// Of the child below it, per unit of this item.
    pub quantity_per: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WhereUsed {
    pub item_id: ItemId,
    /// Every active BOM above the item, nearest first.
    pub lines: Vec<WhereUsedLine>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CostRollupLine {
    /// `material` (a component) or `operation` (a routing step).
    pub kind: String,
    pub reference: String,
    pub quantity: Qty,
    pub unit_cost: Money,
    pub cost: Money,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CostRollup {
    pub item_id: ItemId,
    pub sku: String,
    /// Components, rolled up through their own BOMs and routings.
    pub material_cost: Money,
    /// Routing hours at the work centers' hourly cost.
    pub operation_cost: Money,
    /// Per unit of the item.
    pub unit_cost: Money,
    pub current_standard_cost: Money,
    pub lines: Vec<CostRollupLine>,
}
