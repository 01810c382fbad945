//! Rows of the MRP tables.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::*;
use erp_core::ids::{CompanyId, UserId};
use erp_inventory::ids::{ItemId, LocationId, UomId, WarehouseId};

use crate::ids::WorkCenterId;
use crate::states::{
    BomStatus, DemandKind, OperationStatus, PlannedOrderKind, PlannedOrderStatus, ProductionStatus,
    RunStatus,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = work_centers)]
pub struct WorkCenter {
    pub id: WorkCenterId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub hours_per_day: i64,
    pub units: i32,
    pub efficiency: i64,
    pub utilization: i64,
    pub working_days: String,
    pub cost_per_hour: i64,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = work_center_days_off)]
pub struct DayOff {
    pub work_center_id: WorkCenterId,
    pub day: NaiveDate,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = item_planning)]
pub struct ItemPlanning {
    pub item_id: ItemId,
    pub company_id: CompanyId,
    pub safety_stock: i64,
    pub lot_sizing: String,
    pub min_order: Option<i64>,
    pub max_order: Option<i64>,
    pub order_multiple: Option<i64>,
    pub time_fence_days: i32,
    pub phantom: bool,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = boms)]
pub struct Bom {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub revision: String,
    pub status: BomStatus,
    pub output_quantity: i64,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An active BOM as a planning run reads it: the few columns the plan needs.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = boms)]
pub struct PlanningBom {
    pub id: String,
    pub item_id: ItemId,
    pub output_quantity: i64,
}

/// A line of an active BOM as a planning run reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bom_lines)]
pub struct PlanningLine {
    pub bom_id: String,
    pub line_no: i32,
    pub component_id: ItemId,
    pub quantity: i64,
    pub scrap: i64,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bom_lines)]
pub struct BomLineRow {
    pub id: String,
    pub bom_id: String,
    pub line_no: i32,
    pub component_id: ItemId,
    pub quantity: i64,
    pub entered_quantity: i64,
    pub entered_uom_id: UomId,
    pub scrap: i64,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = routing_operations)]
pub struct Operation {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub setup_hours: i64,
    pub run_hours: i64,
    pub queue_hours: i64,
    pub move_hours: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = demands)]
pub struct Demand {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub kind: DemandKind,
    pub due_date: NaiveDate,
    pub quantity: i64,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mrp_runs)]
pub struct Run {
    pub id: String,
    pub company_id: CompanyId,
    pub status: RunStatus,
    pub mode: String,
    pub start_date: NaiveDate,
    pub bucket: String,
    pub buckets: i32,
    pub progress: String,
    pub items_planned: i32,
    pub items_replanned: i32,
    pub planned_orders: i32,
    pub messages: i32,
    pub duration_ms: Option<i64>,
    pub load_ms: Option<i64>,
    pub plan_ms: Option<i64>,
    pub save_ms: Option<i64>,
    pub error: Option<String>,
    pub created_by: UserId,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub inputs_unchanged: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mrp_run_locks)]
pub struct RunLock {
    pub company_id: CompanyId,
    pub run_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mrp_item_plans, treat_none_as_default_value = false)]
pub struct ItemPlan {
    pub item_id: ItemId,
    pub company_id: CompanyId,
    pub run_id: String,
    pub low_level_code: i32,
    pub fingerprint: String,
    pub demand_hash: String,
    pub record: String,
    /// The id of the plan's first planned order when its orders live in `record`; None for
    /// plans stored before 2026-12-06, whose orders are rows.
    pub orders_from: Option<String>,
    /// The earliest release date among those orders (None: no orders).
    pub first_release: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = planned_orders, treat_none_as_default_value = false)]
pub struct PlannedOrderRow {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub kind: PlannedOrderKind,
    pub status: PlannedOrderStatus,
    pub quantity: i64,
    pub release_date: NaiveDate,
    pub due_date: NaiveDate,
    pub past_due: bool,
    pub ordinal: i32,
    pub run_id: Option<String>,
    pub pegs: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mrp_messages, treat_none_as_default_value = false)]
pub struct MessageRow {
    pub id: String,
    pub company_id: CompanyId,
    pub run_id: String,
    pub item_id: Option<ItemId>,
    pub kind: String,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub scheduled_date: Option<NaiveDate>,
    pub suggested_date: Option<NaiveDate>,
    pub quantity: Option<i64>,
    pub suggested_quantity: Option<i64>,
    pub message: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = production_orders)]
pub struct ProductionOrder {
    pub id: String,
    pub company_id: CompanyId,
    pub number: String,
    pub item_id: ItemId,
    pub bom_id: Option<String>,
    pub location_id: LocationId,
    pub warehouse_id: WarehouseId,
    pub status: ProductionStatus,
    pub quantity: i64,
    pub quantity_completed: i64,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub backflush: bool,
    pub planned_order_id: Option<String>,
    pub planned_cost: i64,
    pub notes: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = production_order_components)]
pub struct ComponentRow {
    pub id: String,
    pub order_id: String,
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity_required: i64,
    pub quantity_issued: i64,
    pub issued_cost: i64,
    pub reservation_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = production_order_operations)]
pub struct OperationRow {
    pub id: String,
    pub order_id: String,
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub planned_setup_hours: i64,
    pub planned_run_hours: i64,
    pub actual_setup_hours: i64,
    pub actual_run_hours: i64,
    pub quantity_done: i64,
    pub quantity_scrapped: i64,
    pub status: OperationStatus,
}
