use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Factor;

use super::dto::*;
use super::repo::{self, Category, Uom};
use crate::error::InventoryError;
use crate::ids::{ItemCategoryId, UomId};

fn uom_response(u: &Uom) -> UomResponse {
    UomResponse {
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
    }
}

pub fn create_uom(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateUomRequest,
) -> Result<UomResponse, AppError> {
    actor.require("inventory.item.write")?;
    let mut v = Validator::new();
    v.code("code", &req.code, 16);
    v.text("name", &req.name, 100);
    v.finish()?;
    let u = Uom {
        id: UomId::new(),
        company_id: actor.company_id,
        code: req.code,
        name: req.name.trim().into(),
        created_at: now(),
    };
    write_tx(conn, |conn| {
        if repo::code_taken(conn, u.company_id, &u.code)? {
            return Err(InventoryError::DuplicateUnit(u.code.clone()).into());
        }
        repo::insert(conn, &u)?;
        let out = uom_response(&u);
        audit::record(conn, actor, "uom", u.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_uoms(conn: &mut DbConnection, actor: &Actor) -> Result<UomList, AppError> {
    actor.require("inventory.item.read")?;
    let items = repo::list(conn, actor.company_id)?
        .iter()
        .map(uom_response)
        .collect();
    Ok(UomList { items })
}

/// Sets the global conversion between two units of the company.
pub fn set_conversion(
    conn: &mut DbConnection,
    actor: &Actor,
    req: UomConversion,
) -> Result<UomConversion, AppError> {
    actor.require("inventory.item.write")?;
    let mut v = Validator::new();
    v.check(
        req.factor > Factor::ZERO,
        "factor",
        "must be greater than zero",
    );
    v.check(
        req.from_uom_id != req.to_uom_id,
        "to_uom_id",
        "must differ from from_uom_id",
    );
    let factor = req
        .factor
        .to_scaled()
        .map_err(|e| AppError::field("factor", e.to_string()))?;
    write_tx(conn, |conn| {
        for (field, id) in [
            ("from_uom_id", req.from_uom_id),
            ("to_uom_id", req.to_uom_id),
        ] {
            if repo::find(conn, id, actor.company_id)?.is_none() {
                v.add(field, "no such unit");
            }
        }
        std::mem::take(&mut v).finish()?;
        repo::set_conversion(conn, req.from_uom_id, req.to_uom_id, factor)?;
        audit::record(
            conn,
            actor,
            "uom_conversion",
            req.from_uom_id,
            Change::Action("set_conversion", Some(&req)),
        )?;
        Ok(req.clone())
    })
}

pub fn list_conversions(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<UomConversionList, AppError> {
    actor.require("inventory.item.read")?;
    let items = repo::conversions(conn, actor.company_id)?
        .into_iter()
        .map(|(from_uom_id, to_uom_id, e9)| UomConversion {
            from_uom_id,
            to_uom_id,
            factor: Factor::from_scaled(e9),
        })
        .collect();
    Ok(UomConversionList { items })
}

fn category_response(c: &Category) -> CategoryResponse {
    CategoryResponse {
        id: c.id,
        code: c.code.clone(),
        name: c.name.clone(),
        parent_id: c.parent_id,
    }
}

pub fn create_category(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCategoryRequest,
) -> Result<CategoryResponse, AppError> {
    actor.require("inventory.item.write")?;
    let mut v = Validator::new();
    v.code("code", &req.code, 32);
    v.text("name", &req.name, 200);
    v.finish()?;
    let c = Category {
        id: ItemCategoryId::new(),
        company_id: actor.company_id,
        parent_id: req.parent_id,
        code: req.code,
        name: req.name.trim().into(),
        created_at: now(),
    };
    write_tx(conn, |conn| {
        if let Some(parent) = c.parent_id {
            if repo::find_category(conn, parent, c.company_id)?.is_none() {
                return Err(AppError::field("parent_id", "no such category"));
            }
        }
        if repo::category_code_taken(conn, c.company_id, &c.code)? {
            return Err(InventoryError::DuplicateCategory(c.code.clone()).into());
        }
        repo::insert_category(conn, &c)?;
        let out = category_response(&c);
        audit::record(conn, actor, "item_category", c.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_categories(conn: &mut DbConnection, actor: &Actor) -> Result<CategoryList, AppError> {
    actor.require("inventory.item.read")?;
    let items = repo::categories(conn, actor.company_id)?
        .iter()
        .map(category_response)
        .collect();
    Ok(CategoryList { items })
}
