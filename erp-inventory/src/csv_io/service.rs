use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::{
    check_columns, enum_cell, import_all, parsed, required, write_table, Row,
};
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::money::{Money, Price, Qty};

use crate::ids::{ItemCategoryId, LocationId, UomId, WarehouseId};
use crate::item::dto::CreateItemRequest;
use crate::stock::dto::{MoveType, PostMoveRequest, StockQuery};
use crate::uom::repo as uom_repo;
use crate::warehouse::dto::{CreateLocationRequest, LocationKind};
use crate::warehouse::repo as wh_repo;
use crate::{item, stock, warehouse};

pub use erp_core::csv_import::ImportReport;

const ITEM_COLUMNS: &[&str] = &[
    "sku",
    "name",
    "base_uom",
    "item_type",
    "procurement",
    "tracking",
    "valuation",
    "category",
    "barcode",
    "standard_cost",
    "sales_price",
    "reorder_point",
    "reorder_max",
    "description",
];
const LOCATION_COLUMNS: &[&str] = &["warehouse", "code", "name", "kind", "parent"];
const OPENING_COLUMNS: &[&str] = &[
    "sku",
    "warehouse",
    "location",
    "quantity",
    "unit_cost",
    "lot",
    "effective_at",
];

/// A business date cell: an RFC 3339 instant, or a date meaning the start of that day in the
/// company's time zone.
fn business_date_cell(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &Row,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let Some(cell) = row.get("effective_at") else {
        return Ok(None);
    };
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(cell) {
        return Ok(Some(at.to_utc()));
    }
    let day = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").map_err(|_| {
        AppError::field(
            "effective_at",
            format!("'{cell}' is neither a date (2026-11-30) nor an RFC 3339 instant"),
        )
    })?;
    let zone = erp_core::org::company_zone(conn, actor.company_id)?;
    let start = day.and_time(chrono::NaiveTime::MIN);
    let local = start.and_local_timezone(zone).earliest().ok_or_else(|| {
        AppError::field(
            "effective_at",
            "the day has no midnight in the company's time zone",
        )
    })?;
    Ok(Some(local.to_utc()))
}

/// The item a CSV row names in its `sku` column (refused as `sku: no item '...'`); every
/// import that refers to items reads them this way.
pub fn item_of_row(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &Row,
) -> Result<item::model::Item, AppError> {
    item_in_column(conn, actor, row, "sku")
}

/// The item whose SKU is in column `col` of a CSV row, or "no item" on that column.
pub fn item_in_column(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &Row,
    col: &str,
) -> Result<item::model::Item, AppError> {
    let sku = required(row, col)?;
    item::repo::find_by_sku(conn, actor.company_id, sku)?
        .ok_or_else(|| AppError::field(col, format!("no item '{sku}'")))
}

/// Columns: sku, name, base_uom (unit code), item_type, procurement, tracking, valuation,
/// category (code), barcode, standard_cost, sales_price, reorder_point, reorder_max, description.
pub fn import_items(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("inventory.item.write")?;
    check_columns(body, ITEM_COLUMNS)?;
    let company = actor.company_id;
    let units: HashMap<String, UomId> = uom_repo::list(conn, company)?
        .into_iter()
        .map(|u| (u.code, u.id))
        .collect();
    let categories: HashMap<String, ItemCategoryId> = uom_repo::categories(conn, company)?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();
    import_all(conn, body, |conn, row| {
        let uom = required(row, "base_uom")?;
        let base_uom_id = units
            .get(uom)
            .ok_or_else(|| AppError::field("base_uom", format!("no unit '{uom}'")))?;
        let category_id = match row.get("category") {
            Some(code) => Some(
                categories
                    .get(code)
                    .ok_or_else(|| AppError::field("category", format!("no category '{code}'")))?,
            ),
            None => None,
        };
        let req = CreateItemRequest {
            id: None,
            sku: required(row, "sku")?.to_string(),
            name: required(row, "name")?.to_string(),
            description: row.get("description").cloned(),
            category_id: category_id.copied(),
            item_type: enum_cell(row, "item_type")?.unwrap_or_default(),
            procurement: enum_cell(row, "procurement")?.unwrap_or_default(),
            tracking: enum_cell(row, "tracking")?.unwrap_or_default(),
            valuation: enum_cell(row, "valuation")?.unwrap_or_default(),
            base_uom_id: *base_uom_id,
            units: Vec::new(),
            barcode: row.get("barcode").cloned(),
            standard_cost: parsed::<Money>(row, "standard_cost")?,
            default_supplier_id: None,
            supplier_price: None,
            sales_price: parsed::<Price>(row, "sales_price")?,
            lead_time_days: None,
            reorder_point: parsed::<Qty>(row, "reorder_point")?,
            reorder_max: parsed::<Qty>(row, "reorder_max")?,
        };
        item::service::create_item(conn, actor, req).map(|_| ())
    })
}

fn warehouse_by_code(
    conn: &mut DbConnection,
    actor: &Actor,
    codes: &HashMap<String, WarehouseId>,
    row: &Row,
) -> Result<WarehouseId, AppError> {
    let code = required(row, "warehouse")?;
    let id = codes
        .get(code)
        .ok_or_else(|| AppError::field("warehouse", format!("no warehouse '{code}'")))?;
    warehouse::service::load_visible(conn, actor, *id)
        .map(|w| w.id)
        .map_err(|_| AppError::field("warehouse", format!("no warehouse '{code}'")))
}

fn location_by_code(
    conn: &mut DbConnection,
    warehouse: WarehouseId,
    code: &str,
    col: &str,
) -> Result<LocationId, AppError> {
    wh_repo::locations_of(conn, warehouse)?
        .into_iter()
        .find(|l| l.code == code)
        .map(|l| l.id)
        .ok_or_else(|| AppError::field(col, format!("no location '{code}' in the warehouse")))
}

fn warehouse_codes(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<HashMap<String, WarehouseId>, AppError> {
    Ok(wh_repo::list(conn, actor.company_id, None)?
        .into_iter()
        .map(|w| (w.code, w.id))
        .collect())
}

/// The company's active items as CSV, by SKU, in the columns `import_items` reads: a file
/// exported here imports into another company that has the same unit and category codes.
pub fn export_items(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<u8>, AppError> {
    actor.require("inventory.item.read")?;
    let company = actor.company_id;
    let units: HashMap<UomId, String> = uom_repo::list(conn, company)?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let categories: HashMap<ItemCategoryId, String> = uom_repo::categories(conn, company)?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    fn code_of<K: Eq + std::hash::Hash + std::fmt::Display>(
        codes: &HashMap<K, String>,
        id: K,
    ) -> Result<String, AppError> {
        codes
            .get(&id)
            .cloned()
            .ok_or_else(|| AppError::Internal(format!("no unit or category {id}")))
    }
    let text = |x: Option<String>| x.unwrap_or_default();
    let mut rows = Vec::new();
    for x in item::repo::all_active(conn, company)? {
        let category = x.category_id.map(|c| code_of(&categories, c));
        rows.push(vec![
            x.sku.clone(),
            x.name.clone(),
            code_of(&units, x.base_uom_id)?,
            x.item_type.to_string(),
            x.procurement.to_string(),
            x.tracking.to_string(),
            enum_to_db(&x.valuation_method()),
            text(category.transpose()?),
            text(x.barcode.clone()),
            Money::from_scaled(x.standard_cost).to_string(),
            text(x.sales_price.map(|p| Price::from_scaled(p).to_string())),
            text(x.reorder_point.map(|q| Qty::from_scaled(q).to_string())),
            text(x.reorder_max.map(|q| Qty::from_scaled(q).to_string())),
            text(x.description.clone()),
        ]);
    }
    write_table(ITEM_COLUMNS, rows)
}

/// Columns: warehouse (code), code, name, kind (storage, receiving, scrap, transit), parent (code).
pub fn import_locations(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("inventory.warehouse.write")?;
    check_columns(body, LOCATION_COLUMNS)?;
    let codes = warehouse_codes(conn, actor)?;
    import_all(conn, body, |conn, row| {
        let warehouse_id = warehouse_by_code(conn, actor, &codes, row)?;
        let parent_id = match row.get("parent") {
            Some(p) => Some(location_by_code(conn, warehouse_id, p, "parent")?),
            None => None,
        };
        let req = CreateLocationRequest {
            warehouse_id,
            parent_id,
            code: required(row, "code")?.to_string(),
            name: required(row, "name")?.to_string(),
            kind: enum_cell::<LocationKind>(row, "kind")?.unwrap_or_default(),
        };
        warehouse::service::create_location(conn, actor, req).map(|_| ())
    })
}

/// Columns: sku, warehouse (code), location (code; default STOCK), quantity, unit_cost, lot,
/// effective_at (the go-live date or instant; default now). Each row is posted as a receipt
/// with reference `opening_balance`.
pub fn import_opening_balances(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("inventory.stock.post")?;
    check_columns(body, OPENING_COLUMNS)?;
    let codes = warehouse_codes(conn, actor)?;
    import_all(conn, body, |conn, row| {
        let item_id = item_of_row(conn, actor, row)?.id;
        let warehouse_id = warehouse_by_code(conn, actor, &codes, row)?;
        let location = location_by_code(
            conn,
            warehouse_id,
            row.get("location").map_or("STOCK", String::as_str),
            "location",
        )?;
        let quantity = parsed::<Qty>(row, "quantity")?
            .ok_or_else(|| AppError::field("quantity", "is required"))?;
        let effective_at = business_date_cell(conn, actor, row)?;
        let req = PostMoveRequest {
            move_type: MoveType::Receipt,
            item_id,
            quantity,
            uom_id: None,
            from_location_id: None,
            to_location_id: Some(location),
            lot: row.get("lot").cloned(),
            unit_cost: parsed::<Price>(row, "unit_cost")?,
            reference_type: Some("opening_balance".into()),
            reference_id: None,
            reservation_id: None,
            note: None,
            effective_at,
        };
        stock::post::post_move(conn, actor, req).map(|_| ())
    })
}

/// Stock on hand as CSV: sku, warehouse_id, location, lot, on_hand, reserved, available.
pub fn export_stock(
    conn: &mut DbConnection,
    actor: &Actor,
    q: StockQuery,
) -> Result<Vec<u8>, AppError> {
    let report = stock::query::stock_on_hand(conn, actor, q)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record([
        "sku",
        "warehouse_id",
        "location",
        "lot",
        "on_hand",
        "reserved",
        "available",
    ])
    .map_err(fail)?;
    for l in report.items {
        w.write_record([
            l.sku,
            l.warehouse_id.to_string(),
            l.location_code,
            l.lot.unwrap_or_default(),
            l.on_hand.to_string(),
            l.reserved.map(|q| q.to_string()).unwrap_or_default(),
            l.available.map(|q| q.to_string()).unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}
