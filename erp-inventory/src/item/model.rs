use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::items;
use erp_core::ids::{CompanyId, PartnerId};

use super::dto::{ItemType, Procurement, Tracking};
use crate::ids::{ItemCategoryId, ItemId, UomId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: ItemId,
    pub company_id: CompanyId,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub category_id: Option<ItemCategoryId>,
    pub item_type: ItemType,
    pub procurement: Procurement,
    pub tracking: Tracking,
    pub valuation: String,
    pub base_uom_id: UomId,
    pub barcode: Option<String>,
    /// Money ×10^4.
    pub standard_cost: i64,
    pub default_supplier_id: Option<PartnerId>,
    /// Price ×10^6.
    pub supplier_price: Option<i64>,
    pub lead_time_days: Option<i32>,
    /// Qty ×10^6.
    pub reorder_point: Option<i64>,
    pub reorder_max: Option<i64>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// FIFO layers taken per lot: specific identification (`valuation` is then `fifo`).
    pub by_lot: bool,
    /// Price ×10^6 per base unit: what sales order and quote lines take when they name none.
    pub sales_price: Option<i64>,
}

impl Item {
    /// The valuation method, from its two columns.
    pub fn valuation_method(&self) -> super::dto::ValuationMethod {
        use super::dto::ValuationMethod as M;
        match (self.valuation.as_str(), self.by_lot) {
            (_, true) => M::SpecificIdentification,
            ("fifo", false) => M::Fifo,
            _ => M::MovingAverage,
        }
    }

    pub fn set_valuation_method(&mut self, m: super::dto::ValuationMethod) {
        use super::dto::ValuationMethod as M;
        self.by_lot = m == M::SpecificIdentification;
        self.valuation = match m {
            M::MovingAverage => "moving_average",
            M::Fifo | M::SpecificIdentification => "fifo",
        }
        .into();
    }
}
