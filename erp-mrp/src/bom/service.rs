//! Bills of materials: drafts, activation (one active BOM per item, no cycles), obsolescence.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use erp_inventory::ids::ItemId;
use erp_inventory::item::dto::ItemType;
use erp_inventory::item::{self, model::Item};
use erp_inventory::stock::convert;

use super::dto::*;
use super::repo::{self, BomFilter};
use crate::error::MrpError;
use crate::ids::{BomId, BomLineId};
use crate::model::{Bom, BomLineRow};
use crate::util::scaled;

const ENTITY: &str = "bom";

pub fn to_response(conn: &mut DbConnection, b: &Bom) -> Result<BomResponse, AppError> {
    let company = b.company_id;
    let sku = |conn: &mut DbConnection, id: ItemId| -> Result<String, AppError> {
        Ok(erp_inventory::item::repo::find(conn, id, company)?
            .map(|i| i.sku)
            .unwrap_or_default())
    };
    let rows = repo::lines_of(conn, &b.id)?;
    let mut lines = Vec::with_capacity(rows.len());
    for l in &rows {
        lines.push(BomLineResponse {
            id: BomLineId::from_db(&l.id)?,
            line_no: l.line_no,
            component_id: l.component_id,
            component_sku: sku(conn, l.component_id)?,
            quantity: Qty::from_scaled(l.quantity),
            entered_quantity: Qty::from_scaled(l.entered_quantity),
            entered_uom_id: l.entered_uom_id,
            scrap: Qty::from_scaled(l.scrap),
            effective_from: l.effective_from,
            effective_to: l.effective_to,
        });
    }
    Ok(BomResponse {
        id: BomId::from_db(&b.id)?,
        item_id: b.item_id,
        item_sku: sku(conn, b.item_id)?,
        revision: b.revision.clone(),
        status: b.status,
        output_quantity: Qty::from_scaled(b.output_quantity),
        notes: b.notes.clone(),
        lines,
        version: b.version,
        created_at: b.created_at.and_utc(),
        updated_at: b.updated_at.and_utc(),
    })
}

pub fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Bom, AppError> {
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

/// A stocked, active item of the actor's company, or a field error.
pub fn stocked_item(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    field: &str,
) -> Result<Item, AppError> {
    let it =
        item::service::load(conn, actor, id).map_err(|_| AppError::field(field, "no such item"))?;
    if it.item_type == ItemType::Service || !it.active {
        return Err(AppError::field(
            field,
            "the item is not an active stocked item",
        ));
    }
    Ok(it)
}

fn build_lines(
    conn: &mut DbConnection,
    actor: &Actor,
    bom_id: &str,
    parent: &Item,
    input: &[BomLineInput],
) -> Result<Vec<BomLineRow>, AppError> {
    let mut v = Validator::new();
    v.check(!input.is_empty(), "lines", "a BOM needs at least one line");
    v.check(input.len() <= 1000, "lines", "at most 1000 lines");
    let mut lines = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let it = match stocked_item(conn, actor, l.component_id, &field("component_id")) {
            Ok(it) => it,
            Err(AppError::Validation(e)) => {
                e.into_iter().for_each(|e| v.add(e.field, e.message));
                continue;
            }
            Err(e) => return Err(e),
        };
        if it.id == parent.id {
            v.add(field("component_id"), "an item cannot be its own component");
            continue;
        }
        if l.quantity <= Qty::ZERO {
            v.add(field("quantity"), "must be greater than zero");
            continue;
        }
        let scrap = l.scrap.unwrap_or(Qty::ZERO);
        if scrap < Qty::ZERO || scrap.value() >= rust_decimal::Decimal::ONE {
            v.add(field("scrap"), "must be at least 0 and less than 1");
            continue;
        }
        if let (Some(f), Some(t)) = (l.effective_from, l.effective_to) {
            if t < f {
                v.add(field("effective_to"), "must not be before effective_from");
                continue;
            }
        }
        let uom = l.uom_id.unwrap_or(it.base_uom_id);
        let qty = match convert::to_base(conn, &it, l.quantity, uom, &field("quantity")) {
            Ok(q) => q,
            Err(AppError::Validation(errors)) => {
                for e in errors {
                    let f = if e.field == "uom_id" {
                        field("uom_id")
                    } else {
                        e.field
                    };
                    v.add(f, format!("{} (unit mismatch)", e.message));
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        if qty <= Qty::ZERO {
            v.add(field("quantity"), "is zero in the component's base unit");
            continue;
        }
        lines.push(BomLineRow {
            id: new_id(),
            bom_id: bom_id.to_string(),
            line_no: (i + 1) as i32,
            component_id: it.id,
            quantity: scaled(qty, &field("quantity"))?,
            entered_quantity: scaled(l.quantity, &field("quantity"))?,
            entered_uom_id: uom,
            scrap: scaled(scrap, &field("scrap"))?,
            effective_from: l.effective_from,
            effective_to: l.effective_to,
        });
    }
    v.finish()?;
    Ok(lines)
}

/// Refuses a structure in which `item` would (through active BOMs) contain itself; the error
/// names the items of the cycle. Walks down from the new lines only, one level per query, so
/// its cost follows what the lines reach, not how many BOMs the company has.
fn check_no_cycle(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item_id: ItemId,
    lines: &[BomLineRow],
) -> Result<(), AppError> {
    // Each item reached, with the parent it was first reached from.
    let mut reached_from: HashMap<ItemId, ItemId> = HashMap::new();
    let mut level: Vec<ItemId> = Vec::new();
    for l in lines {
        if let std::collections::hash_map::Entry::Vacant(e) = reached_from.entry(l.component_id) {
            e.insert(item_id);
            level.push(l.component_id);
        }
    }
    while !level.is_empty() && !reached_from.contains_key(&item_id) {
        let mut next = Vec::new();
        for (parent, component) in repo::active_components_of(conn, &level)? {
            if let std::collections::hash_map::Entry::Vacant(e) = reached_from.entry(component) {
                e.insert(parent);
                next.push(component);
            }
        }
        level = next;
    }
    let Some(mut at) = reached_from.get(&item_id).copied() else {
        return Ok(());
    };
    let mut path = vec![item_id];
    while at != item_id {
        path.push(at);
        at = reached_from[&at];
    }
    path.push(item_id);
    path.reverse();
    let mut skus = Vec::new();
    for id in path {
        skus.push(
            erp_inventory::item::repo::find(conn, id, company_id)?
                .map(|i| i.sku)
                .unwrap_or_else(|| id.to_string()),
        );
    }
    Err(MrpError::BomWouldCycle(skus).into())
}

/// Makes `b` the item's active BOM: the previous one becomes obsolete.
fn activate_in_tx(conn: &mut DbConnection, b: &mut Bom) -> Result<(), AppError> {
    let lines = repo::lines_of(conn, &b.id)?;
    check_no_cycle(conn, b.company_id, b.item_id, &lines)?;
    if let Some(mut old) = repo::active_of(conn, b.item_id)? {
        if old.id != b.id {
            let expected = old.version;
            old.status = BomStatus::Obsolete;
            old.version += 1;
            old.updated_at = now();
            repo::update_versioned(conn, &old, expected)?;
        }
    }
    b.status = BomStatus::Active;
    Ok(())
}

/// Creates many BOMs in one transaction, each by [`create_bom`]'s rules (a later BOM may use
/// an item an earlier one makes; the cycle check sees the BOMs before it); refused records are
/// named by their index and nothing is kept.
pub fn create_boms(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateBomsRequest,
) -> Result<BomBatch, AppError> {
    actor.require("mrp.master.write")?;
    let boms = erp_core::batch::all_or_nothing(conn, "boms", req.boms, |conn, b| {
        create_bom(conn, actor, b)
    })?;
    Ok(BomBatch { boms })
}

pub fn create_bom(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateBomRequest,
) -> Result<BomResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    if let Some(r) = &req.revision {
        v.code("revision", r, 50);
    }
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    if req.output_quantity.is_some_and(|q| q <= Qty::ZERO) {
        v.add("output_quantity", "must be greater than zero");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let parent = stocked_item(conn, actor, req.item_id, "item_id")?;
        let revisions = repo::revisions_of(conn, parent.id)?;
        let revision = match &req.revision {
            Some(r) => {
                let r = r.trim().to_string();
                if revisions.contains(&r) {
                    return Err(MrpError::DuplicateRevision(r).into());
                }
                r
            }
            None => (1..)
                .map(|n: u32| n.to_string())
                .find(|r| !revisions.contains(r))
                .unwrap_or_default(),
        };
        let at = now();
        let mut b = Bom {
            id: req.id.map(|i| i.to_string()).unwrap_or_else(new_id),
            company_id: actor.company_id,
            item_id: parent.id,
            revision,
            status: BomStatus::Draft,
            output_quantity: scaled(
                req.output_quantity
                    .unwrap_or(Qty::new(rust_decimal::Decimal::ONE).unwrap_or_default()),
                "output_quantity",
            )?,
            notes: req.notes.clone(),
            version: 1,
            created_at: at,
            updated_at: at,
        };
        let lines = build_lines(conn, actor, &b.id, &parent, &req.lines)?;
        repo::insert(conn, &b)?;
        repo::replace_lines(conn, &b.id, &lines)?;
        if req.activate.unwrap_or(false) {
            activate_in_tx(conn, &mut b)?;
            repo::update_versioned(conn, &b, b.version)?;
        }
        let out = to_response(conn, &b)?;
        audit::record(conn, actor, ENTITY, &b.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_bom(conn: &mut DbConnection, actor: &Actor, id: BomId) -> Result<BomResponse, AppError> {
    actor.require("mrp.master.read")?;
    let b = load(conn, actor, &id.to_string())?;
    to_response(conn, &b)
}

pub fn list_boms(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: BomListQuery,
) -> Result<BomPage, AppError> {
    actor.require("mrp.master.read")?;
    let page = params.validate()?;
    item::service::check_filter(conn, actor, q.item_id)?;
    let filter = BomFilter {
        item_id: q.item_id,
        status: q.status.map(|s| enum_to_db(&s)),
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |b| &b.id);
    let items = rows
        .iter()
        .map(|b| to_response(conn, b))
        .collect::<Result<_, _>>()?;
    Ok(BomPage { items, next_cursor })
}

pub fn update_bom(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BomId,
    expected: i64,
    req: UpdateBomRequest,
) -> Result<BomResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    if req.output_quantity.is_some_and(|q| q <= Qty::ZERO) {
        v.add("output_quantity", "must be greater than zero");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let mut b = load(conn, actor, &id.to_string())?;
        if b.version != expected {
            return Err(AppError::VersionMismatch { current: b.version });
        }
        if b.status != BomStatus::Draft {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "change",
                current: b.status.to_string(),
            });
        }
        let before = to_response(conn, &b)?;
        if let Some(q) = req.output_quantity {
            b.output_quantity = scaled(q, "output_quantity")?;
        }
        if req.notes.is_some() {
            b.notes = req.notes.clone();
        }
        if let Some(lines) = &req.lines {
            let parent = erp_inventory::item::repo::find(conn, b.item_id, b.company_id)?
                .ok_or(AppError::NotFound("item"))?;
            let rows = build_lines(conn, actor, &b.id, &parent, lines)?;
            repo::replace_lines(conn, &b.id, &rows)?;
        }
        b.version += 1;
        b.updated_at = now();
        if !repo::update_versioned(conn, &b, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let after = to_response(conn, &b)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &b.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// `activate` (draft or obsolete to active) or `obsolete` (active or draft to obsolete).
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BomId,
    action: &'static str,
) -> Result<BomResponse, AppError> {
    actor.require("mrp.master.write")?;
    write_tx(conn, |conn| {
        let mut b = load(conn, actor, &id.to_string())?;
        let expected = b.version;
        match action {
            "activate" if b.status != BomStatus::Active => activate_in_tx(conn, &mut b)?,
            "obsolete" if b.status != BomStatus::Obsolete => b.status = BomStatus::Obsolete,
            _ => {
                return Err(AppError::InvalidState {
                    entity: ENTITY,
                    action,
                    current: b.status.to_string(),
                });
            }
        }
        b.version += 1;
        b.updated_at = now();
        if !repo::update_versioned(conn, &b, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let out = to_response(conn, &b)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &b.id,
            Change::Action(action, Some(&out)),
        )?;
        Ok(out)
    })
}
