use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::Qty;
use erp_inventory::ids::{ItemId, LocationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ids::{ActionMessageId, PlannedOrderId, RunId};

pub use super::horizon::BucketSize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// Plans every item from scratch.
    Regenerative,
    /// Plans again only the items whose data, demand or supply changed since the last run
    /// (and what their change reaches); the answer is the regenerative one. Falls back to
    /// regenerative when the horizon differs from the last run's.
    NetChange,
}

pub use crate::states::RunStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRunRequest {
    /// Default regenerative.
    pub mode: Option<RunMode>,
    /// First day of the horizon (default today, UTC).
    pub start_date: Option<NaiveDate>,
    /// Default week.
    pub bucket: Option<BucketSize>,
    /// Number of buckets, 1 to 520 (default 52).
    pub buckets: Option<u32>,
}

/// Where a run is: waiting, reading the data, planning, writing the plan, finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunProgress {
    Queued,
    Loading,
    Planning,
    Saving,
    Done,
}

/// What an action message asks of the planner (or, for the last three, which data stopped
/// the item from being planned as it should).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Release the planned order now: it releases in the first bucket.
    Release,
    /// The planned order should have been released already: its lead time is compressed.
    PastDue,
    /// An existing receipt is needed earlier than it is due.
    Expedite,
    /// An existing receipt is needed later than it is due.
    Defer,
    /// An existing receipt is not needed within the horizon.
    Cancel,
    /// Enlarge an existing receipt instead of adding an order.
    Increase,
    /// Part of an existing receipt is not needed within the horizon.
    Decrease,
    /// A planned order is due inside the planning time fence: firm it or cover it by hand.
    TimeFence,
    /// The item has no lead time: it was planned with none.
    MissingLeadTime,
    /// The active BOMs form a cycle: the run did not plan.
    BomCycle,
}

/// A kind of supply (or demand) a message or a peg names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    PlannedOrder,
    PurchaseOrder,
    ProductionOrder,
    FirmPlannedOrder,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunResponse {
    pub id: RunId,
    pub status: RunStatus,
    /// The mode it ran in (a net-change request may have run regenerative).
    pub mode: RunMode,
    pub start_date: NaiveDate,
    pub bucket: BucketSize,
    pub buckets: i32,
    pub progress: RunProgress,
    pub items_planned: i32,
    /// Items planned anew (all of them in a regenerative run).
    pub items_replanned: i32,
    /// True when a net-change run found that nothing it plans from had changed since the
    /// plan it starts from (no item's planning fields, planning data, stock on hand, BOM,
    /// demand, production, purchase or firm planned order written), and kept that plan as
    /// it was without reading the data.
    pub inputs_unchanged: bool,
    pub planned_orders: i32,
    pub messages: i32,
    pub duration_ms: Option<i64>,
    /// Milliseconds reading the data, in the engine, and writing the plan.
    pub load_ms: Option<i64>,
    pub plan_ms: Option<i64>,
    pub save_ms: Option<i64>,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunList {
    /// The latest started first.
    pub items: Vec<RunResponse>,
    /// The cursor of the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecordBucket {
    pub bucket: u32,
    pub start_date: NaiveDate,
    pub gross_requirements: Qty,
    pub scheduled_receipts: Qty,
    /// At the end of the bucket.
    pub projected_on_hand: Qty,
    pub net_requirements: Qty,
    pub planned_order_receipts: Qty,
    pub planned_order_releases: Qty,
}

/// The MRP record of an item as the last run left it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MrpRecordResponse {
    pub item_id: ItemId,
    pub sku: String,
    pub run_id: RunId,
    pub low_level_code: i32,
    pub on_hand: Qty,
    pub safety_stock: Qty,
    pub lead_time_days: Option<i32>,
    /// The past-due column: what planned orders should have released before the first
    /// bucket to arrive in time. The plan releases it in bucket 0 (it is part of bucket 0's
    /// `planned_order_releases`), with the lead time compressed and a `past_due` message.
    pub past_due_releases: Qty,
    pub buckets: Vec<RecordBucket>,
}

erp_core::page_type!(MrpRecordPage, MrpRecordResponse);

/// Which records of a run's plan to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordQuery {
    /// Records per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1, max_length = 200)]
    pub cursor: Option<String>,
    /// One item.
    pub item_id: Option<ItemId>,
    /// The items of one low-level code (0: end items).
    #[param(minimum = 0)]
    pub low_level_code: Option<i32>,
    /// Only items with (`true`) or without (`false`) action messages.
    pub has_messages: Option<bool>,
}

pub use crate::states::{PlannedOrderKind, PlannedOrderStatus};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlannedOrderResponse {
    pub id: PlannedOrderId,
    pub item_id: ItemId,
    pub sku: String,
    pub kind: PlannedOrderKind,
    pub status: PlannedOrderStatus,
    pub quantity: Qty,
    pub release_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The release should have happened before the start of the horizon.
    pub past_due: bool,
    pub run_id: Option<RunId>,
    pub version: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlannedOrderQuery {
    pub item_id: Option<ItemId>,
    pub kind: Option<PlannedOrderKind>,
    pub status: Option<PlannedOrderStatus>,
    /// Released on or before this date.
    pub release_until: Option<NaiveDate>,
}

erp_core::page_type!(PlannedOrderPage, PlannedOrderResponse);

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PegResponse {
    /// `demand`, `planned_order`, `production_order` or `firm_planned_order`.
    pub source_type: String,
    pub source_id: String,
    pub quantity: Qty,
    /// For a parent planned order: its item and what it serves in turn, up to the end items.
    #[schema(no_recursion)]
    pub parent: Option<Box<PeggedOrder>>,
    /// For a demand: its kind and due date.
    pub demand_kind: Option<String>,
    pub due_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeggedOrder {
    pub order: PlannedOrderResponse,
    pub pegs: Vec<PegResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePlannedOrderRequest {
    pub quantity: Option<Qty>,
    pub due_date: Option<NaiveDate>,
    /// Default: the due date less the item's lead time.
    pub release_date: Option<NaiveDate>,
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleasePlannedOrderRequest {
    /// Where a production order takes components from and puts output, or where a purchase
    /// order is delivered (a storage location for production, any warehouse location for
    /// purchase: its warehouse is used).
    pub location_id: LocationId,
    /// For a bought item: the supplier (default the item's default supplier).
    pub supplier_id: Option<PartnerId>,
    /// For a bought item: the price per base unit. Default: the supplier's price for the
    /// quantity, else the item's supplier price, else its standard cost.
    pub unit_price: Option<erp_core::money::Price>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReleaseResult {
    /// `production_order` or `purchase_order`.
    pub document_type: String,
    pub document_id: Uuid,
    pub number: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionMessageResponse {
    pub id: ActionMessageId,
    pub kind: ActionKind,
    pub item_id: Option<ItemId>,
    pub sku: Option<String>,
    /// What `reference_id` names.
    pub reference_type: Option<SupplyKind>,
    pub reference_id: Option<String>,
    pub scheduled_date: Option<NaiveDate>,
    pub suggested_date: Option<NaiveDate>,
    pub quantity: Option<Qty>,
    pub suggested_quantity: Option<Qty>,
    pub message: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    #[param(inline)]
    pub kind: Option<ActionKind>,
    pub item_id: Option<ItemId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActionMessageList {
    pub run_id: Option<RunId>,
    pub items: Vec<ActionMessageResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CommitmentLine {
    pub supplier_id: Option<PartnerId>,
    pub supplier_name: Option<String>,
    pub period_start: NaiveDate,
    pub item_id: ItemId,
    pub sku: String,
    /// On confirmed purchase orders, still to come.
    pub open_quantity: Qty,
    /// In planned (and firm planned) purchase orders due in the period.
    pub planned_quantity: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CommitmentReport {
    pub bucket: BucketSize,
    pub lines: Vec<CommitmentLine>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Period size (default the last run's bucket).
    pub bucket: Option<BucketSize>,
}

/// Where a line of the production schedule stands: a planned order's state, or an open
/// production order's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleStatus {
    /// A planned order the next run replaces.
    Planned,
    /// A planned order fixed by a planner.
    Firm,
    /// A production order with its components reserved, nothing done yet.
    Released,
    /// A production order with work reported.
    InProgress,
}

/// What a line of the production schedule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleSource {
    PlannedOrder,
    ProductionOrder,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScheduleLine {
    pub status: ScheduleStatus,
    pub source_type: ScheduleSource,
    pub source_id: Uuid,
    pub item_id: ItemId,
    pub sku: String,
    pub quantity: Qty,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProductionSchedule {
    /// By start date.
    pub lines: Vec<ScheduleLine>,
}
