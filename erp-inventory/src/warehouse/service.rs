use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::org::branch;

use super::dto::*;
use super::repo::{self, Location, Warehouse};
use crate::error::InventoryError;
use crate::ids::{LocationId, WarehouseId};

const ENTITY: &str = "warehouse";

pub fn location_response(l: &Location) -> Result<LocationResponse, AppError> {
    Ok(LocationResponse {
        id: l.id,
        warehouse_id: l.warehouse_id,
        parent_id: l.parent_id,
        code: l.code.clone(),
        name: l.name.clone(),
        kind: l.kind,
        active: l.active,
    })
}

fn to_response(conn: &mut DbConnection, w: &Warehouse) -> Result<WarehouseResponse, AppError> {
    let locations = repo::locations_of(conn, w.id)?
        .iter()
        .map(location_response)
        .collect::<Result<_, _>>()?;
    Ok(WarehouseResponse {
        id: w.id,
        branch_id: w.branch_id,
        code: w.code.clone(),
        name: w.name.clone(),
        allow_negative: w.allow_negative,
        active: w.active,
        locations,
        version: w.version,
        created_at: w.created_at.and_utc(),
        updated_at: w.updated_at.and_utc(),
    })
}

/// A warehouse the actor may see: of their company and one of their branches.
pub fn load_visible(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WarehouseId,
) -> Result<Warehouse, AppError> {
    let w = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    if !actor.sees_branch(&w.branch_id) {
        return Err(AppError::NotFound(ENTITY));
    }
    Ok(w)
}

/// The `STOCK` location of a warehouse the actor sees: where goods ship from and arrive in
/// when a request names the warehouse only. Refusals are on `field`.
pub fn stock_location_of(
    conn: &mut DbConnection,
    actor: &Actor,
    warehouse_id: WarehouseId,
    field: &str,
) -> Result<Location, AppError> {
    let w = load_visible(conn, actor, warehouse_id).map_err(|e| match e {
        AppError::NotFound(_) => AppError::field(field, "no such warehouse"),
        other => other,
    })?;
    repo::locations_of(conn, w.id)?
        .into_iter()
        .find(|l| l.code == "STOCK")
        .ok_or_else(|| AppError::field(field, "the warehouse has no STOCK location"))
}

/// A location the actor may see, with its warehouse.
pub fn load_location(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LocationId,
) -> Result<(Location, Warehouse), AppError> {
    let (l, w) = repo::find_location_in(conn, id, actor.company_id)?
        .ok_or(AppError::NotFound("location"))?;
    if !actor.sees_branch(&w.branch_id) {
        return Err(AppError::NotFound("location"));
    }
    Ok((l, w))
}

pub fn create_warehouse(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateWarehouseRequest,
) -> Result<WarehouseResponse, AppError> {
    actor.require("inventory.warehouse.write")?;
    let mut v = Validator::new();
    v.code("code", &req.code, 32);
    v.text("name", &req.name, 200);
    v.finish()?;
    let at = now();
    let w = Warehouse {
        id: req.id.unwrap_or_default(),
        company_id: actor.company_id,
        branch_id: req.branch_id,
        code: req.code.clone(),
        name: req.name.trim().to_string(),
        allow_negative: req.allow_negative,
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    write_tx(conn, |conn| {
        let branch_visible = actor.sees_branch(&req.branch_id)
            && branch::repo::exists_in_company(conn, w.branch_id, w.company_id)?;
        if !branch_visible {
            return Err(AppError::field("branch_id", "no such branch"));
        }
        if repo::code_taken(conn, w.company_id, &w.code)? {
            return Err(InventoryError::DuplicateWarehouse(w.code.clone()).into());
        }
        repo::insert(conn, &w)?;
        for (code, name, kind) in [
            ("STOCK", "Stock", LocationKind::Storage),
            ("RECEIVING", "Receiving", LocationKind::Receiving),
            ("SCRAP", "Scrap", LocationKind::Scrap),
            ("TRANSIT", "Goods in transit", LocationKind::Transit),
        ] {
            repo::insert_location(
                conn,
                &Location {
                    id: LocationId::new(),
                    warehouse_id: w.id,
                    parent_id: None,
                    code: code.into(),
                    name: name.into(),
                    kind,
                    active: true,
                    created_at: at,
                },
            )?;
        }
        let out = to_response(conn, &w)?;
        audit::record(conn, actor, ENTITY, w.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_warehouse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WarehouseId,
) -> Result<WarehouseResponse, AppError> {
    actor.require("inventory.warehouse.read")?;
    let w = load_visible(conn, actor, id)?;
    to_response(conn, &w)
}

pub fn list_warehouses(conn: &mut DbConnection, actor: &Actor) -> Result<WarehouseList, AppError> {
    actor.require("inventory.warehouse.read")?;
    let rows = repo::list(conn, actor.company_id, actor.visible_branches().as_deref())?;
    let items = rows
        .iter()
        .map(|w| to_response(conn, w))
        .collect::<Result<_, _>>()?;
    Ok(WarehouseList { items })
}

pub fn update_warehouse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WarehouseId,
    expected: i64,
    req: UpdateWarehouseRequest,
) -> Result<WarehouseResponse, AppError> {
    actor.require("inventory.warehouse.write")?;
    let mut v = Validator::new();
    if let Some(n) = &req.name {
        v.text("name", n, 200);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let mut w = load_visible(conn, actor, id)?;
        if w.version != expected {
            return Err(AppError::VersionMismatch { current: w.version });
        }
        let before = to_response(conn, &w)?;
        if let Some(n) = &req.name {
            w.name = n.trim().to_string();
        }
        if let Some(a) = req.allow_negative {
            w.allow_negative = a;
        }
        if let Some(a) = req.active {
            w.active = a;
        }
        w.version += 1;
        w.updated_at = now();
        if !repo::update_versioned(conn, &w, expected)? {
            return Err(AppError::VersionMismatch { current: w.version });
        }
        let after = to_response(conn, &w)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            w.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

pub fn create_location(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLocationRequest,
) -> Result<LocationResponse, AppError> {
    actor.require("inventory.warehouse.write")?;
    let mut v = Validator::new();
    v.code("code", &req.code, 32);
    v.text("name", &req.name, 200);
    v.finish()?;
    write_tx(conn, |conn| {
        let w = load_visible(conn, actor, req.warehouse_id)
            .map_err(|_| AppError::field("warehouse_id", "no such warehouse"))?;
        if let Some(p) = req.parent_id {
            match repo::find_location(conn, p)? {
                Some(parent) if parent.warehouse_id == w.id => {}
                _ => {
                    return Err(AppError::field(
                        "parent_id",
                        "no such location in the warehouse",
                    ))
                }
            }
        }
        if repo::location_code_taken(conn, w.id, &req.code)? {
            return Err(InventoryError::DuplicateLocation(req.code.clone()).into());
        }
        let l = Location {
            id: LocationId::new(),
            warehouse_id: w.id,
            parent_id: req.parent_id,
            code: req.code.clone(),
            name: req.name.trim().to_string(),
            kind: req.kind,
            active: true,
            created_at: now(),
        };
        repo::insert_location(conn, &l)?;
        let out = location_response(&l)?;
        audit::record(conn, actor, "location", l.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_location(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LocationId,
) -> Result<LocationResponse, AppError> {
    actor.require("inventory.warehouse.read")?;
    location_response(&load_location(conn, actor, id)?.0)
}

/// The warehouses a list may show: the one asked for (checked), every warehouse of the
/// actor's branches, or `None` for no restriction (an actor who sees all branches).
pub fn warehouse_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    warehouse: Option<WarehouseId>,
) -> Result<Option<Vec<WarehouseId>>, AppError> {
    match (warehouse, actor.visible_branches()) {
        (Some(w), _) => Ok(Some(vec![load_visible(conn, actor, w)?.id])),
        (None, None) => Ok(None),
        (None, Some(branches)) => Ok(Some(
            repo::list(conn, actor.company_id, Some(&branches))?
                .into_iter()
                .map(|w| w.id)
                .collect(),
        )),
    }
}
