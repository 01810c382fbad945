//! Independent demand: master production schedule, forecasts, confirmed sales.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::csv_import::{check_columns, enum_cell, import_all, parsed, ImportReport};
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use erp_inventory::stock::convert;

use super::dto::*;
use super::repo::{self, DemandFilter};
use crate::bom::service::stocked_item;
use crate::ids::DemandId;
use crate::model::Demand;
use crate::util::{check_range, scaled};

const ENTITY: &str = "demand";

pub fn to_response(d: &Demand) -> Result<DemandResponse, AppError> {
    Ok(DemandResponse {
        id: DemandId::from_db(&d.id)?,
        item_id: d.item_id,
        kind: d.kind,
        due_date: d.due_date,
        quantity: Qty::from_scaled(d.quantity),
        source_type: d.source_type.clone(),
        source_id: d.source_id.clone(),
        note: d.note.clone(),
        version: d.version,
        created_at: d.created_at.and_utc(),
        updated_at: d.updated_at.and_utc(),
    })
}

/// Records many demands in one transaction, each by [`create_demand`]'s rules; refused
/// records are named by their index and nothing is kept.
pub fn create_demands(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateDemandsRequest,
) -> Result<DemandBatch, AppError> {
    actor.require("mrp.plan.write")?;
    let demands = erp_core::batch::all_or_nothing(conn, "demands", req.demands, |conn, d| {
        create_demand(conn, actor, d).map(|(d, _)| d)
    })?;
    Ok(DemandBatch { demands })
}

/// The columns of a demand file (the demand export writes the same).
pub const DEMAND_COLUMNS: &[&str] = &[
    "sku",
    "kind",
    "due_date",
    "quantity",
    "source_type",
    "source_id",
    "note",
];

/// Imports demands (MPS entries, forecasts) from CSV, each row through [`create_demand`]
/// (a row with a source already recorded replaces it); all or nothing.
pub fn import_demands(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("mrp.plan.write")?;
    check_columns(body, DEMAND_COLUMNS)?;
    import_all(conn, body, |conn, row| {
        let item = erp_inventory::csv_io::service::item_of_row(conn, actor, row)?;
        let req = CreateDemandRequest {
            id: None,
            item_id: item.id,
            kind: enum_cell(row, "kind")?.ok_or_else(|| AppError::field("kind", "is required"))?,
            due_date: parsed(row, "due_date")?
                .ok_or_else(|| AppError::field("due_date", "is required"))?,
            quantity: parsed(row, "quantity")?
                .ok_or_else(|| AppError::field("quantity", "is required"))?,
            uom_id: None,
            source_type: row.get("source_type").cloned(),
            source_id: row.get("source_id").cloned(),
            note: row.get("note").cloned(),
        };
        create_demand(conn, actor, req).map(|_| ())
    })
}

/// Records a demand; a demand with the same source replaces the earlier one (200 then, 201 new).
pub fn create_demand(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateDemandRequest,
) -> Result<(DemandResponse, bool), AppError> {
    actor.require("mrp.plan.write")?;
    let mut v = Validator::new();
    v.check(
        req.quantity > Qty::ZERO,
        "quantity",
        "must be greater than zero",
    );
    v.opt_text("source_type", req.source_type.as_deref(), 50);
    v.opt_text("source_id", req.source_id.as_deref(), 100);
    v.opt_text("note", req.note.as_deref(), 2000);
    v.check(
        req.source_type.is_some() == req.source_id.is_some(),
        "source_id",
        "source_type and source_id go together",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let it = stocked_item(conn, actor, req.item_id, "item_id")?;
        let uom = req.uom_id.unwrap_or(it.base_uom_id);
        let qty = convert::to_base(conn, &it, req.quantity, uom, "quantity")?;
        let company_id = actor.company_id;
        let at = now();
        let existing = match (&req.source_type, &req.source_id) {
            (Some(t), Some(i)) => repo::find_by_source(conn, company_id, t.trim(), i.trim())?,
            _ => None,
        };
        let mut d = Demand {
            id: req.id.map(|i| i.to_string()).unwrap_or_else(new_id),
            company_id,
            item_id: it.id,
            kind: req.kind,
            due_date: req.due_date,
            quantity: scaled(qty, "quantity")?,
            source_type: req.source_type.as_ref().map(|s| s.trim().to_string()),
            source_id: req.source_id.as_ref().map(|s| s.trim().to_string()),
            note: req.note.clone(),
            version: 1,
            created_at: at,
            updated_at: at,
        };
        match existing {
            Some(old) => {
                let before = to_response(&old)?;
                d.id = old.id.clone();
                d.version = old.version + 1;
                d.created_at = old.created_at;
                repo::replace(conn, &d)?;
                let after = to_response(&d)?;
                audit::record(
                    conn,
                    actor,
                    ENTITY,
                    &d.id,
                    Change::Updated {
                        before: &before,
                        after: &after,
                    },
                )?;
                Ok((after, false))
            }
            None => {
                repo::insert(conn, &d)?;
                let out = to_response(&d)?;
                audit::record(conn, actor, ENTITY, &d.id, Change::Created(&out))?;
                Ok((out, true))
            }
        }
    })
}

pub fn delete_demand(conn: &mut DbConnection, actor: &Actor, id: DemandId) -> Result<(), AppError> {
    actor.require("mrp.plan.write")?;
    write_tx(conn, |conn| {
        let d = repo::find(conn, &id.to_string(), actor.company_id)?
            .ok_or(AppError::NotFound(ENTITY))?;
        repo::delete(conn, &d.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &d.id,
            Change::Deleted(&to_response(&d)?),
        )?;
        Ok(())
    })
}

/// The filter of a demand list or export: its date range checked, its item one of the
/// company's (404 otherwise).
pub fn filter_of(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DemandListQuery,
) -> Result<DemandFilter, AppError> {
    let mut v = erp_core::error::Validator::new();
    check_range(&mut v, "to", q.from, q.to);
    v.finish()?;
    erp_inventory::item::service::check_filter(conn, actor, q.item_id)?;
    Ok(DemandFilter {
        item_id: q.item_id,
        kind: q.kind,
        from: q.from,
        to: q.to,
    })
}

pub fn list_demands(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: DemandListQuery,
) -> Result<DemandPage, AppError> {
    actor.require("mrp.plan.read")?;
    let page = params.validate()?;
    let filter = filter_of(conn, actor, q)?;
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |d| &d.id);
    let items = rows.iter().map(to_response).collect::<Result<_, _>>()?;
    Ok(DemandPage { items, next_cursor })
}
