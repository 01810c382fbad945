use erp_core::ids::PartnerId;
use erp_core::money::{Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ItemId, WarehouseId};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    pub item_id: Option<ItemId>,
    pub warehouse_id: Option<WarehouseId>,
}

/// An item in a warehouse: stock in storage and receiving locations, and what is on order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityLine {
    pub item_id: ItemId,
    pub sku: String,
    pub warehouse_id: WarehouseId,
    pub on_hand: Qty,
    /// Promised to documents (open reservations): the outgoing quantity.
    pub reserved: Qty,
    pub available: Qty,
    /// Still to come on confirmed purchase orders.
    pub incoming: Qty,
    /// available + incoming
    pub projected: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityReport {
    pub items: Vec<AvailabilityLine>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplenishmentQuery {
    pub warehouse_id: WarehouseId,
}

/// An item whose projected stock is at or below its reorder point.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReplenishmentSuggestion {
    pub item_id: ItemId,
    pub sku: String,
    pub projected: Qty,
    pub reorder_point: Qty,
    pub reorder_max: Option<Qty>,
    /// Up to the maximum (or the reorder point when there is none).
    pub suggested_quantity: Qty,
    pub supplier_id: Option<PartnerId>,
    pub unit_price: Option<Price>,
    pub lead_time_days: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReplenishmentReport {
    pub warehouse_id: WarehouseId,
    pub items: Vec<ReplenishmentSuggestion>,
}
