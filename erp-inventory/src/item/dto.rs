use chrono::{DateTime, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::{Factor, Money, Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{ItemCategoryId, ItemId, UomId};

erp_core::text_enum! {
    #[derive(Default)]
    pub enum ItemType {
        #[default]
        Stocked = "stocked",
        Consumable = "consumable",
        Service = "service",
    }
}

erp_core::text_enum! {
    #[derive(Default)]
    pub enum Procurement {
        Make = "make",
        #[default]
        Buy = "buy",
    }
}

erp_core::text_enum! {
    #[derive(Default)]
    pub enum Tracking {
        #[default]
        None = "none",
        Lot = "lot",
        Serial = "serial",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ValuationMethod {
    #[default]
    MovingAverage,
    Fifo,
    /// Specific identification: an issue of a lot or serial number costs what that lot
    /// was received at (FIFO within the lot). Needs lot or serial tracking.
    SpecificIdentification,
}

/// A unit the item is also counted in: 1 `uom` = `factor` base units (box = 12).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUnit {
    pub uom_id: UomId,
    pub factor: Factor,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateItemRequest {
    pub id: Option<ItemId>,
    /// Unique in the company.
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub category_id: Option<ItemCategoryId>,
    #[serde(default)]
    pub item_type: ItemType,
    #[serde(default)]
    pub procurement: Procurement,
    #[serde(default)]
    pub tracking: Tracking,
    #[serde(default)]
    pub valuation: ValuationMethod,
    pub base_uom_id: UomId,
    #[serde(default)]
    pub units: Vec<ItemUnit>,
    pub barcode: Option<String>,
    pub standard_cost: Option<Money>,
    /// A business partner with the supplier role.
    pub default_supplier_id: Option<PartnerId>,
    pub supplier_price: Option<Price>,
    /// Per base unit: what a sales order or quote line takes when it names no price.
    pub sales_price: Option<Price>,
    pub lead_time_days: Option<i32>,
    pub reorder_point: Option<Qty>,
    pub reorder_max: Option<Qty>,
}

/// Changes to an item; absent fields stay. The valuation method and base unit can change
/// only while no stock has moved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateItemRequest {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<ItemCategoryId>,
    pub item_type: Option<ItemType>,
    pub procurement: Option<Procurement>,
    pub tracking: Option<Tracking>,
    pub valuation: Option<ValuationMethod>,
    pub base_uom_id: Option<UomId>,
    pub units: Option<Vec<ItemUnit>>,
    pub barcode: Option<String>,
    pub standard_cost: Option<Money>,
    pub default_supplier_id: Option<PartnerId>,
    pub supplier_price: Option<Price>,
    /// Per base unit: what a sales order or quote line takes when it names no price.
    pub sales_price: Option<Price>,
    pub lead_time_days: Option<i32>,
    pub reorder_point: Option<Qty>,
    pub reorder_max: Option<Qty>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemResponse {
    pub id: ItemId,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub category_id: Option<ItemCategoryId>,
    pub item_type: ItemType,
    pub procurement: Procurement,
    pub tracking: Tracking,
    pub valuation: ValuationMethod,
    pub base_uom_id: UomId,
    pub units: Vec<ItemUnit>,
    pub barcode: Option<String>,
    pub standard_cost: Money,
    pub default_supplier_id: Option<PartnerId>,
    pub supplier_price: Option<Price>,
    /// Per base unit: what a sales order or quote line takes when it names no price.
    pub sales_price: Option<Price>,
    pub lead_time_days: Option<i32>,
    pub reorder_point: Option<Qty>,
    pub reorder_max: Option<Qty>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(ItemPage, ItemResponse);

/// Items to create together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateItemsRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<CreateItemRequest>,
}

/// The items a bulk create made, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemBatch {
    pub items: Vec<ItemResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemListQuery {
    /// Part of the SKU or name.
    pub q: Option<String>,
    /// Exactly this SKU (an index lookup, whatever the number of items).
    pub sku: Option<String>,
    pub category_id: Option<ItemCategoryId>,
    pub item_type: Option<ItemType>,
    pub active: Option<bool>,
    pub barcode: Option<String>,
}
