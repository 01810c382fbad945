use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Factor, Money, Price, Qty};
use erp_core::pagination::ListParams;
use erp_core::partner;

use super::dto::*;
use super::model::Item;
use super::repo::{self, ItemFilter};
use crate::error::InventoryError;
use crate::ids::{ItemId, UomId};
use crate::uom;

const ENTITY: &str = "item";

pub fn to_response(conn: &mut DbConnection, x: &Item) -> Result<ItemResponse, AppError> {
    Ok(response_with(x, repo::units_of(conn, x.id)?))
}

/// The item's response with its units, `(unit, factor)` as stored.
fn response_with(x: &Item, units: Vec<(UomId, i64)>) -> ItemResponse {
    let units = units
        .into_iter()
        .map(|(uom_id, f)| ItemUnit {
            uom_id,
            factor: Factor::from_scaled(f),
        })
        .collect();
    ItemResponse {
        id: x.id,
        sku: x.sku.clone(),
        name: x.name.clone(),
        description: x.description.clone(),
        category_id: x.category_id,
        item_type: x.item_type,
        procurement: x.procurement,
        tracking: x.tracking,
        valuation: x.valuation_method(),
        base_uom_id: x.base_uom_id,
        units,
        barcode: x.barcode.clone(),
        standard_cost: Money::from_scaled(x.standard_cost),
        default_supplier_id: x.default_supplier_id,
        supplier_price: x.supplier_price.map(Price::from_scaled),
        sales_price: x.sales_price.map(Price::from_scaled),
        lead_time_days: x.lead_time_days,
        reorder_point: x.reorder_point.map(Qty::from_scaled),
        reorder_max: x.reorder_max.map(Qty::from_scaled),
        active: x.active,
        version: x.version,
        created_at: x.created_at.and_utc(),
        updated_at: x.updated_at.and_utc(),
    }
}

/// A list's or report's `item_id` filter must name an item of the company (404 `not_found`
/// otherwise), as a `warehouse_id` filter must: a mistyped id never reads as an empty answer.
pub fn check_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: Option<ItemId>,
) -> Result<(), AppError> {
    erp_core::filter::names(item_id, |id| load(conn, actor, id))
}

/// Loads an item of the actor's company.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: ItemId) -> Result<Item, AppError> {
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

fn scaled<T>(
    v: &mut Validator,
    field: &str,
    value: Option<T>,
    to: impl Fn(T) -> Result<i64, erp_core::money::AmountError>,
) -> Option<i64> {
    value.and_then(|x| match to(x) {
        Ok(n) => Some(n),
        Err(e) => {
            v.add(field, e.to_string());
            None
        }
    })
}

/// Checks references and fields of an item about to be written; converts the units.
fn check_item(
    conn: &mut DbConnection,
    v: &mut Validator,
    x: &Item,
    units: &[ItemUnit],
) -> Result<Vec<(UomId, i64)>, AppError> {
    v.code("sku", &x.sku, 64);
    v.text("name", &x.name, 200);
    v.opt_text("description", x.description.as_deref(), 10_000);
    v.opt_text("barcode", x.barcode.as_deref(), 64);
    if let Some(days) = x.lead_time_days {
        v.check(
            (0..=3650).contains(&days),
            "lead_time_days",
            "must be between 0 and 3650",
        );
    }
    v.check(
        x.standard_cost >= 0,
        "standard_cost",
        "must not be negative",
    );
    v.check(
        !x.by_lot || x.tracking != Tracking::None,
        "valuation",
        "specific identification needs an item tracked by lot or serial",
    );
    v.check(
        x.supplier_price.is_none_or(|p| p >= 0),
        "supplier_price",
        "must not be negative",
    );
    v.check(
        x.sales_price.is_none_or(|p| p >= 0),
        "sales_price",
        "must not be negative",
    );
    v.check(
        x.reorder_point.is_none_or(|p| p >= 0),
        "reorder_point",
        "must not be negative",
    );
    if let (Some(min), Some(max)) = (x.reorder_point, x.reorder_max) {
        v.check(max >= min, "reorder_max", "must not be below reorder_point");
    }
    if uom::repo::find(conn, x.base_uom_id, x.company_id)?.is_none() {
        v.add("base_uom_id", "no such unit");
    }
    if let Some(c) = x.category_id {
        if uom::repo::find_category(conn, c, x.company_id)?.is_none() {
            v.add("category_id", "no such category");
        }
    }
    if let Some(s) = x.default_supplier_id {
        match partner::repo::find(conn, s, x.company_id)? {
            Some(p) if p.is_supplier => {}
            Some(_) => v.add(
                "default_supplier_id",
                "the partner does not have the supplier role",
            ),
            None => v.add("default_supplier_id", "no such partner"),
        }
    }
    let mut out = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let field = format!("units[{i}]");
        if u.uom_id == x.base_uom_id {
            v.add(format!("{field}.uom_id"), "is the base unit");
        } else if uom::repo::find(conn, u.uom_id, x.company_id)?.is_none() {
            v.add(format!("{field}.uom_id"), "no such unit");
        }
        if u.factor <= Factor::ZERO {
            v.add(format!("{field}.factor"), "must be greater than zero");
        }
        if out.iter().any(|(id, _)| *id == u.uom_id) {
            v.add(format!("{field}.uom_id"), "is listed twice");
        }
        out.push((u.uom_id, u.factor.to_scaled().unwrap_or(0)));
    }
    Ok(out)
}

pub fn create_item(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateItemRequest,
) -> Result<ItemResponse, AppError> {
    actor.require("inventory.item.write")?;
    let mut v = Validator::new();
    let at = now();
    let mut x = Item {
        id: req.id.unwrap_or_default(),
        company_id: actor.company_id,
        sku: req.sku.trim().to_string(),
        name: req.name.trim().to_string(),
        description: req.description,
        category_id: req.category_id,
        item_type: req.item_type,
        procurement: req.procurement,
        tracking: req.tracking,
        valuation: String::new(),
        base_uom_id: req.base_uom_id,
        barcode: req.barcode.filter(|b| !b.trim().is_empty()),
        standard_cost: scaled(&mut v, "standard_cost", req.standard_cost, Money::to_scaled)
            .unwrap_or(0),
        default_supplier_id: req.default_supplier_id,
        supplier_price: scaled(
            &mut v,
            "supplier_price",
            req.supplier_price,
            Price::to_scaled,
        ),
        sales_price: scaled(&mut v, "sales_price", req.sales_price, Price::to_scaled),
        lead_time_days: req.lead_time_days,
        reorder_point: scaled(&mut v, "reorder_point", req.reorder_point, Qty::to_scaled),
        reorder_max: scaled(&mut v, "reorder_max", req.reorder_max, Qty::to_scaled),
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
        by_lot: false,
    };
    x.set_valuation_method(req.valuation);
    write_tx(conn, |conn| {
        let units = check_item(conn, &mut v, &x, &req.units)?;
        std::mem::take(&mut v).finish()?;
        if repo::sku_taken(conn, x.company_id, &x.sku, x.id)? {
            return Err(InventoryError::DuplicateSku(x.sku.clone()).into());
        }
        if repo::find(conn, x.id, x.company_id)?.is_some() {
            return Err(InventoryError::DuplicateItemId.into());
        }
        repo::insert(conn, &x)?;
        repo::set_units(conn, x.id, &units)?;
        let out = to_response(conn, &x)?;
        audit::record(conn, actor, ENTITY, x.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Creates many items in one transaction, each by [`create_item`]'s rules; refused records
/// are named by their index and nothing is kept.
pub fn create_items(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateItemsRequest,
) -> Result<ItemBatch, AppError> {
    actor.require("inventory.item.write")?;
    let items = erp_core::batch::all_or_nothing(conn, "items", req.items, |conn, item| {
        create_item(conn, actor, item)
    })?;
    Ok(ItemBatch { items })
}

pub fn get_item(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
) -> Result<ItemResponse, AppError> {
    actor.require("inventory.item.read")?;
    let x = load(conn, actor, id)?;
    to_response(conn, &x)
}

pub fn list_items(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: ItemListQuery,
) -> Result<ItemPage, AppError> {
    actor.require("inventory.item.read")?;
    let page = params.validate()?;
    if let Some(c) = q.category_id {
        uom::repo::find_category(conn, c, actor.company_id)?
            .ok_or(AppError::NotFound("category"))?;
    }
    let filter = ItemFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        sku: q.sku,
        category_id: q.category_id,
        item_type: q.item_type.map(|t| enum_to_db(&t)),
        active: q.active,
        barcode: q.barcode,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |x| x.id);
    let ids: Vec<ItemId> = rows.iter().map(|x| x.id).collect();
    let mut units: HashMap<ItemId, Vec<(UomId, i64)>> = HashMap::new();
    for (item, uom, factor) in repo::units_of_many(conn, &ids)? {
        units.entry(item).or_default().push((uom, factor));
    }
    let items = rows
        .iter()
        .map(|x| response_with(x, units.remove(&x.id).unwrap_or_default()))
        .collect();
    Ok(ItemPage { items, next_cursor })
}

pub fn update_item(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    expected: i64,
    req: UpdateItemRequest,
) -> Result<ItemResponse, AppError> {
    actor.require("inventory.item.write")?;
    write_tx(conn, |conn| {
        let mut x = load(conn, actor, id)?;
        if x.version != expected {
            return Err(AppError::VersionMismatch { current: x.version });
        }
        let before = to_response(conn, &x)?;
        let mut v = Validator::new();
        let moved = repo::has_moves(conn, x.id)?;
        if let Some(m) = req.valuation {
            if m != x.valuation_method() && moved {
                return Err(InventoryError::StockExists("valuation method").into());
            }
            x.set_valuation_method(m);
        }
        if let Some(u) = req.base_uom_id {
            if u != x.base_uom_id && moved {
                return Err(InventoryError::StockExists("base unit").into());
            }
            x.base_uom_id = u;
        }
        if let Some(s) = &req.sku {
            x.sku = s.trim().to_string();
        }
        if let Some(n) = &req.name {
            x.name = n.trim().to_string();
        }
        let opt = |new: &Option<String>, old: &Option<String>| match new {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.clone()),
            None => old.clone(),
        };
        x.description = opt(&req.description, &x.description);
        x.barcode = opt(&req.barcode, &x.barcode);
        if let Some(c) = req.category_id {
            x.category_id = Some(c);
        }
        if let Some(t) = req.item_type {
            x.item_type = t;
        }
        if let Some(p) = req.procurement {
            x.procurement = p;
        }
        if let Some(t) = req.tracking {
            x.tracking = t;
        }
        if let Some(s) = req.default_supplier_id {
            x.default_supplier_id = Some(s);
        }
        if let Some(c) = scaled(&mut v, "standard_cost", req.standard_cost, Money::to_scaled) {
            x.standard_cost = c;
        }
        x.supplier_price = scaled(
            &mut v,
            "supplier_price",
            req.supplier_price,
            Price::to_scaled,
        )
        .or(x.supplier_price);
        x.sales_price =
            scaled(&mut v, "sales_price", req.sales_price, Price::to_scaled).or(x.sales_price);
        x.reorder_point =
            scaled(&mut v, "reorder_point", req.reorder_point, Qty::to_scaled).or(x.reorder_point);
        x.reorder_max =
            scaled(&mut v, "reorder_max", req.reorder_max, Qty::to_scaled).or(x.reorder_max);
        x.lead_time_days = req.lead_time_days.or(x.lead_time_days);
        if let Some(a) = req.active {
            x.active = a;
        }
        let units = req.units.clone().unwrap_or(before.units.clone());
        let units = check_item(conn, &mut v, &x, &units)?;
        v.finish()?;
        if repo::sku_taken(conn, x.company_id, &x.sku, x.id)? {
            return Err(InventoryError::DuplicateSku(x.sku.clone()).into());
        }
        x.version += 1;
        x.updated_at = now();
        if !repo::update_versioned(conn, &x, expected)? {
            return Err(AppError::VersionMismatch { current: x.version });
        }
        repo::set_units(conn, x.id, &units)?;
        let after = to_response(conn, &x)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            x.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// What a printed document says of each line's item: its SKU and name, and a quantity with
/// the item's unit. Read for all lines in one query.
pub struct ItemLabels(HashMap<ItemId, (String, String, String)>);

impl ItemLabels {
    pub fn load(
        conn: &mut DbConnection,
        company_id: CompanyId,
        items: impl IntoIterator<Item = ItemId>,
    ) -> Result<Self, AppError> {
        let ids: Vec<ItemId> = items.into_iter().collect();
        Ok(ItemLabels(repo::labels(conn, company_id, &ids)?))
    }

    /// "PAINT-5 Boʻyoq oq, 5 l".
    pub fn item(&self, id: ItemId) -> String {
        self.0
            .get(&id)
            .map(|(sku, name, _)| format!("{sku} {name}"))
            .unwrap_or_default()
    }

    /// "3 ea": the quantity as the JSON gives it, with the item's unit.
    pub fn quantity(&self, id: ItemId, quantity: Qty) -> String {
        match self.0.get(&id) {
            Some((_, _, unit)) => format!("{quantity} {unit}"),
            None => quantity.to_string(),
        }
    }
}
