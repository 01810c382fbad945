//! Supplier prices, and the price an order line gets when none is given.

use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::money::{Price, Qty};
use erp_core::partner;

use super::dto::*;
use super::repo::{self, SupplierPrice};
use crate::ids::SupplierPriceId;
use crate::item::{self, model::Item};

fn to_response(p: &SupplierPrice) -> Result<SupplierPriceResponse, AppError> {
    Ok(SupplierPriceResponse {
        id: SupplierPriceId::from_db(&p.id)?,
        supplier_id: p.supplier_id,
        item_id: p.item_id,
        min_quantity: Qty::from_scaled(p.min_quantity),
        price: Price::from_scaled(p.price),
        lead_time_days: p.lead_time_days,
    })
}

/// Checks that `id` is a partner of the company with the supplier role.
pub fn check_supplier(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PartnerId,
    field: &str,
) -> Result<(), AppError> {
    match partner::repo::find(conn, id, company_id)? {
        Some(p) if p.is_supplier && p.active => Ok(()),
        Some(_) => Err(AppError::field(
            field,
            "the partner is not an active supplier",
        )),
        None => Err(AppError::field(field, "no such partner")),
    }
}

/// A list's `supplier_id` filter must name a partner of the company (404 `not_found`
/// otherwise): a mistyped id never reads as an empty answer.
pub fn check_supplier_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    supplier_id: Option<PartnerId>,
) -> Result<(), AppError> {
    let Some(id) = supplier_id else {
        return Ok(());
    };
    partner::repo::find(conn, id, actor.company_id)?
        .map(|_| ())
        .ok_or(AppError::NotFound("partner"))
}

pub fn create_supplier_price(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateSupplierPriceRequest,
) -> Result<SupplierPriceResponse, AppError> {
    actor.require("inventory.purchase.write")?;
    let mut v = Validator::new();
    v.check(req.price >= Price::ZERO, "price", "must not be negative");
    let min = req.min_quantity.unwrap_or(Qty::ZERO);
    v.check(min >= Qty::ZERO, "min_quantity", "must not be negative");
    v.check(
        req.lead_time_days.is_none_or(|d| (0..=3650).contains(&d)),
        "lead_time_days",
        "must be between 0 and 3650",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id;
        check_supplier(conn, company, req.supplier_id, "supplier_id")?;
        item::service::load(conn, actor, req.item_id)
            .map_err(|_| AppError::field("item_id", "no such item"))?;
        let p = SupplierPrice {
            id: new_id(),
            company_id: company,
            supplier_id: req.supplier_id,
            item_id: req.item_id,
            min_quantity: min
                .to_scaled()
                .map_err(|e| AppError::field("min_quantity", e.to_string()))?,
            price: req
                .price
                .to_scaled()
                .map_err(|e| AppError::field("price", e.to_string()))?,
            lead_time_days: req.lead_time_days,
            created_at: now(),
        };
        repo::insert_price(conn, &p)?;
        to_response(&p)
    })
}

pub fn list_supplier_prices(
    conn: &mut DbConnection,
    actor: &Actor,
    q: SupplierPriceQuery,
) -> Result<SupplierPriceList, AppError> {
    actor.require("inventory.purchase.read")?;
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    check_supplier_filter(conn, actor, q.supplier_id)?;
    let rows = repo::prices(conn, actor.company_id, q.item_id, q.supplier_id)?;
    Ok(SupplierPriceList {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
    })
}

/// The supplier's price for `quantity` of `item`: the price list entry with the largest
/// minimum quantity not above it, else the item's default supplier price.
pub fn price_for(
    conn: &mut DbConnection,
    company_id: CompanyId,
    supplier: PartnerId,
    item: &Item,
    quantity: i64,
) -> Result<Option<Price>, AppError> {
    let best = repo::prices(conn, company_id, Some(item.id), Some(supplier))?
        .into_iter()
        .filter(|p| p.min_quantity <= quantity)
        .max_by_key(|p| p.min_quantity);
    Ok(match best {
        Some(p) => Some(Price::from_scaled(p.price)),
        None if item.default_supplier_id == Some(supplier) => {
            item.supplier_price.map(Price::from_scaled)
        }
        None => None,
    })
}
