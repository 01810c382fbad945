use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::{Money, Price, Qty};
use erp_inventory::ids::{ItemId, LocationId, ReservationId, WarehouseId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{BomId, ProductionOrderId, WorkCenterId};

pub use crate::states::{OperationStatus, ProductionStatus};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProductionOrderRequest {
    pub id: Option<ProductionOrderId>,
    /// A made item with an active BOM.
    pub item_id: ItemId,
    pub quantity: Qty,
    /// A storage location: components are taken from it and output put in it.
    pub location_id: LocationId,
    /// Default today.
    pub start_date: Option<NaiveDate>,
    pub due_date: NaiveDate,
    /// Issue components automatically, in proportion, as output is received (default false).
    pub backflush: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComponentResponse {
    pub line_no: i32,
    pub item_id: ItemId,
    pub sku: String,
    pub quantity_required: Qty,
    pub quantity_issued: Qty,
    /// Still held for the order in the location.
    pub quantity_reserved: Qty,
    /// Required, not issued and not reserved: stock that was missing at release.
    pub shortage: Qty,
    pub issued_cost: Money,
    pub reservation_id: Option<ReservationId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OperationProgress {
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub planned_setup_hours: Qty,
    pub planned_run_hours: Qty,
    pub actual_setup_hours: Qty,
    pub actual_run_hours: Qty,
    pub quantity_done: Qty,
    pub quantity_scrapped: Qty,
    pub status: OperationStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProductionOrderResponse {
    pub id: ProductionOrderId,
    /// MO-2026-000001
    pub number: String,
    pub item_id: ItemId,
    pub sku: String,
    pub bom_id: Option<BomId>,
    pub status: ProductionStatus,
    pub quantity: Qty,
    pub quantity_completed: Qty,
    pub location_id: LocationId,
    pub warehouse_id: WarehouseId,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub backflush: bool,
    pub planned_order_id: Option<String>,
    /// Materials and operations at the costs known at release.
    pub planned_cost: Money,
    pub notes: Option<String>,
    pub components: Vec<ComponentResponse>,
    pub operations: Vec<OperationProgress>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductionListQuery {
    pub item_id: Option<ItemId>,
    pub status: Option<ProductionStatus>,
}

erp_core::page_type!(ProductionOrderPage, ProductionOrderResponse);

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueLine {
    pub item_id: ItemId,
    pub quantity: Qty,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// Default: everything still to issue of every component.
    pub lines: Option<Vec<IssueLine>>,
    /// Business date of the issues (default now); limits as for a stock move.
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportOperationRequest {
    /// Good units finished at this operation in this report.
    pub quantity_done: Qty,
    pub quantity_scrapped: Option<Qty>,
    pub setup_hours: Option<Qty>,
    pub run_hours: Option<Qty>,
    /// Marks the operation finished (default: when its done quantity reaches the order's).
    pub finished: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveOutputRequest {
    pub quantity: Qty,
    /// Lot of the output (required for lot-tracked items).
    pub lot: Option<String>,
    /// Business date of the output receipt and of the components it backflushes (default
    /// now); limits as for a stock move.
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MaterialVariance {
    pub item_id: ItemId,
    pub sku: String,
    /// For the quantity completed (for the whole order while nothing is completed).
    pub planned_quantity: Qty,
    pub actual_quantity: Qty,
    pub planned_cost: Money,
    pub actual_cost: Money,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OperationVariance {
    pub seq: i32,
    pub name: String,
    pub planned_hours: Qty,
    pub actual_hours: Qty,
    pub cost_per_hour: Price,
    pub planned_cost: Money,
    pub actual_cost: Money,
}

/// Plan against execution: quantities, hours and cost.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProductionReport {
    pub order_id: ProductionOrderId,
    pub number: String,
    pub status: ProductionStatus,
    pub planned_quantity: Qty,
    pub completed_quantity: Qty,
    pub materials: Vec<MaterialVariance>,
    pub operations: Vec<OperationVariance>,
    pub planned_cost: Money,
    pub actual_cost: Money,
    /// Actual less planned: positive is over plan.
    pub variance: Money,
    /// Actual cost per unit completed (absent before any output).
    pub actual_unit_cost: Option<Money>,
}

/// Which production orders the output report counts: those due in the period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutputQuery {
    /// Due on or after (default: the first day of this month).
    pub from: Option<NaiveDate>,
    /// Due on or before (default: the last day of this month).
    pub to: Option<NaiveDate>,
}

/// Planned against actual production of an item: its orders due in the period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutputLine {
    pub item_id: ItemId,
    pub sku: String,
    /// Production orders due in the period, cancelled ones left out.
    pub orders: i64,
    /// Their quantity, in the item's base unit.
    pub planned: Qty,
    /// What of it has been received.
    pub completed: Qty,
    /// Orders past their due date and still open (released or in progress).
    pub late_orders: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutputReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By SKU.
    pub lines: Vec<OutputLine>,
}
