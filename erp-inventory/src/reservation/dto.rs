use chrono::{DateTime, Utc};
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ItemId, LocationId, ReservationId, UomId};

pub use crate::stock::states::ReservationStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReservationRequest {
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: Option<String>,
    /// In `uom_id`, or the item's base unit.
    pub quantity: Qty,
    pub uom_id: Option<UomId>,
    /// The document the stock is promised to, e.g. `sales_order` and its id.
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReservationResponse {
    pub id: ReservationId,
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: Option<String>,
    /// In the item's base unit.
    pub quantity: Qty,
    pub consumed: Qty,
    pub remaining: Qty,
    pub status: ReservationStatus,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(ReservationPage, ReservationResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReservationListQuery {
    pub item_id: Option<ItemId>,
    pub status: Option<ReservationStatus>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}
