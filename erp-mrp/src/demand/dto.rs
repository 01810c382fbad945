use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::Qty;
use erp_inventory::ids::{ItemId, UomId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::DemandId;

pub use crate::states::DemandKind;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDemandRequest {
    pub id: Option<DemandId>,
    pub item_id: ItemId,
    pub kind: DemandKind,
    pub due_date: NaiveDate,
    /// In `uom_id` or the item's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    /// The document behind the demand (`sales_order` and its id, for example); unique per
    /// company, so a feeding module can send the same source again to replace it.
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DemandResponse {
    pub id: DemandId,
    pub item_id: ItemId,
    pub kind: DemandKind,
    pub due_date: NaiveDate,
    /// In the item's base unit.
    pub quantity: Qty,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DemandListQuery {
    pub item_id: Option<ItemId>,
    pub kind: Option<DemandKind>,
    /// Due on or after.
    pub from: Option<NaiveDate>,
    /// Due on or before.
    pub to: Option<NaiveDate>,
}

erp_core::page_type!(DemandPage, DemandResponse);

/// Demands to record together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDemandsRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub demands: Vec<CreateDemandRequest>,
}

/// The demands a bulk request recorded, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DemandBatch {
    pub demands: Vec<DemandResponse>,
}
