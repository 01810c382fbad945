use chrono::{DateTime, Utc};
use erp_core::ids::BranchId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{LocationId, WarehouseId};

erp_core::text_enum! {
    #[derive(Default)]
    pub enum LocationKind {
        /// Ordinary stock: zone, aisle, bin.
        #[default]
        Storage = "storage",
        /// Goods received but not yet put away; available.
        Receiving = "receiving",
        /// Scrapped goods: on hand but neither available nor valued.
        Scrap = "scrap",
        /// Goods shipped to another branch and not yet received there.
        Transit = "transit",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWarehouseRequest {
    pub id: Option<WarehouseId>,
    pub branch_id: BranchId,
    /// Unique in the company.
    pub code: String,
    pub name: String,
    /// Let issues take stock below zero (default: refused with 409 insufficient_stock).
    #[serde(default)]
    pub allow_negative: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWarehouseRequest {
    pub name: Option<String>,
    pub allow_negative: Option<bool>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationResponse {
    pub id: LocationId,
    pub warehouse_id: WarehouseId,
    pub parent_id: Option<LocationId>,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WarehouseResponse {
    pub id: WarehouseId,
    pub branch_id: BranchId,
    pub code: String,
    pub name: String,
    pub allow_negative: bool,
    pub active: bool,
    /// The locations made with the warehouse: STOCK, RECEIVING, SCRAP, TRANSIT, and any added.
    pub locations: Vec<LocationResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WarehouseList {
    pub items: Vec<WarehouseResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLocationRequest {
    pub warehouse_id: WarehouseId,
    /// The location this one sits in (zone > aisle > bin).
    pub parent_id: Option<LocationId>,
    /// Unique in the warehouse.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub kind: LocationKind,
}
