use std::collections::BTreeMap;

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::{Price, Qty};

use super::dto::*;
use crate::ids::{ItemId, LocationId, WarehouseId};
use crate::item;
use crate::purchase::repo as purchase_repo;
use crate::stock::query::{skus_of, warehouses_in_scope};
use crate::stock::repo as stock_repo;
use crate::warehouse::repo as wh_repo;

/// Stock of an item in a warehouse (storage and receiving locations) and what is on order.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    on_hand: i64,
    reserved: i64,
    incoming: i64,
}

/// Totals per (item, warehouse).
type TotalsByItem = BTreeMap<(ItemId, WarehouseId), Totals>;

fn totals(
    conn: &mut DbConnection,
    actor: &Actor,
    q: &AvailabilityQuery,
) -> Result<TotalsByItem, AppError> {
    let warehouses = warehouses_in_scope(conn, actor, q.warehouse_id)?;
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    let mut location_wh = BTreeMap::new();
    for w in &warehouses {
        for l in wh_repo::locations_of(conn, w.id)? {
            if l.is_available() {
                location_wh.insert(l.id, w.id);
            }
        }
    }
    let locations: Vec<LocationId> = location_wh.keys().copied().collect();
    let mut out = TotalsByItem::new();
    for b in stock_repo::balances(conn, &locations, q.item_id, None)? {
        let e = out
            .entry((b.item_id, location_wh[&b.location_id]))
            .or_default();
        e.on_hand += b.on_hand;
        e.reserved += b.reserved;
    }
    let ids: Vec<WarehouseId> = warehouses.iter().map(|w| w.id).collect();
    for (item_id, wh, open) in purchase_repo::incoming(conn, actor.company_id, &ids, q.item_id)? {
        out.entry((item_id, wh)).or_default().incoming += open;
    }
    Ok(out)
}

pub fn availability(
    conn: &mut DbConnection,
    actor: &Actor,
    q: AvailabilityQuery,
) -> Result<AvailabilityReport, AppError> {
    actor.require("inventory.stock.read")?;
    let rows = totals(conn, actor, &q)?;
    let skus = skus_of(conn, actor, rows.keys().map(|k| &k.0))?;
    let mut items = Vec::new();
    for (
        (item_id, wh),
        Totals {
            on_hand,
            reserved,
            incoming,
        },
    ) in rows
    {
        let available = (on_hand - reserved).max(0);
        items.push(AvailabilityLine {
            item_id,
            sku: skus.get(&item_id).cloned().unwrap_or_default(),
            warehouse_id: wh,
            on_hand: Qty::from_scaled(on_hand),
            reserved: Qty::from_scaled(reserved),
            available: Qty::from_scaled(available),
            incoming: Qty::from_scaled(incoming),
            projected: Qty::from_scaled(available + incoming),
        });
    }
    Ok(AvailabilityReport { items })
}

/// Items at or below their reorder point in a warehouse, with what to order (min/max).
pub fn replenishment(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ReplenishmentQuery,
) -> Result<ReplenishmentReport, AppError> {
    actor.require("inventory.purchase.read")?;
    let scope = AvailabilityQuery {
        item_id: None,
        warehouse_id: Some(q.warehouse_id),
    };
    let rows = totals(conn, actor, &scope)?;
    let wh = q.warehouse_id;
    let mut items = Vec::new();
    for it in item::repo::with_reorder_point(conn, actor.company_id)? {
        let Some(point) = it.reorder_point else {
            continue;
        };
        let Totals {
            on_hand,
            reserved,
            incoming,
        } = rows.get(&(it.id, wh)).copied().unwrap_or_default();
        let projected = (on_hand - reserved).max(0) + incoming;
        if projected > point {
            continue;
        }
        let target = it.reorder_max.unwrap_or(point).max(point);
        let suggested = target - projected;
        if suggested <= 0 {
            continue;
        }
        items.push(ReplenishmentSuggestion {
            item_id: it.id,
            sku: it.sku.clone(),
            projected: Qty::from_scaled(projected),
            reorder_point: Qty::from_scaled(point),
            reorder_max: it.reorder_max.map(Qty::from_scaled),
            suggested_quantity: Qty::from_scaled(suggested),
            supplier_id: it.default_supplier_id,
            unit_price: it.supplier_price.map(Price::from_scaled),
            lead_time_days: it.lead_time_days,
        });
    }
    Ok(ReplenishmentReport {
        warehouse_id: q.warehouse_id,
        items,
    })
}
