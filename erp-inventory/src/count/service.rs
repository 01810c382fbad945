use std::collections::HashSet;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::repo::{self, CountLine, CountSession};
use crate::ids::{CountId, CountLineId, ItemId, LocationId, MoveId, WarehouseId};
use crate::item;
use crate::stock::dto::{MoveType, PostMoveRequest};
use crate::stock::post::{post_move_for_document, Visibility};
use crate::stock::query::on_hand_as_of;
use crate::stock::repo as stock_repo;
use crate::valuation::abc::classify;
use crate::warehouse::repo as wh_repo;
use crate::warehouse::service::{load_visible, warehouse_filter};

const ENTITY: &str = "count";

fn to_response(conn: &mut DbConnection, s: &CountSession) -> Result<CountResponse, AppError> {
    let lines = repo::lines_of(conn, &s.id)?
        .iter()
        .map(|l| {
            Ok(CountLineResponse {
                id: CountLineId::from_db(&l.id)?,
                item_id: l.item_id,
                location_id: l.location_id,
                lot: Some(l.lot.clone()).filter(|x| !x.is_empty()),
                expected_quantity: Qty::from_scaled(l.expected_quantity),
                counted_quantity: l.counted_quantity.map(Qty::from_scaled),
                difference: l
                    .counted_quantity
                    .map(|c| Qty::from_scaled(c - l.expected_quantity)),
                adjustment_move_id: MoveId::from_db_opt(l.adjustment_move_id.as_deref())?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(CountResponse {
        id: CountId::from_db(&s.id)?,
        number: s.number.clone(),
        warehouse_id: s.warehouse_id,
        kind: enum_from_db(&s.kind)?,
        abc_class: s.abc_class.as_deref().map(enum_from_db).transpose()?,
        status: s.status,
        notes: s.notes.clone(),
        as_of: s.as_of.map(|t| t.and_utc()),
        lines,
        version: s.version,
        created_at: s.created_at.and_utc(),
        updated_at: s.updated_at.and_utc(),
    })
}

fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<CountSession, AppError> {
    let s = repo::find(conn, id, &actor.company_id.to_db())?.ok_or(AppError::NotFound(ENTITY))?;
    load_visible(conn, actor, s.warehouse_id).map_err(|_| AppError::NotFound(ENTITY))?;
    Ok(s)
}

/// The locations a session counts: those given, or every storage and receiving location.
fn counted_locations(
    conn: &mut DbConnection,
    warehouse: WarehouseId,
    given: &[LocationId],
) -> Result<Vec<LocationId>, AppError> {
    let all = wh_repo::locations_of(conn, warehouse)?;
    if given.is_empty() {
        return Ok(all
            .into_iter()
            .filter(|l| l.is_available())
            .map(|l| l.id)
            .collect());
    }
    let mut v = Validator::new();
    let mut out = Vec::new();
    for (i, id) in given.iter().enumerate() {
        match all.iter().find(|l| l.id == *id) {
            Some(l) if l.is_available() => out.push(l.id),
            _ => v.add(
                format!("location_ids[{i}]"),
                "not a storage or receiving location of the warehouse",
            ),
        }
    }
    v.finish()?;
    Ok(out)
}

/// Starts a count: the on-hand quantities in scope are the expected ones.
pub fn create_count(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCountRequest,
) -> Result<CountResponse, AppError> {
    actor.require("inventory.count.write")?;
    let mut v = Validator::new();
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.check(
        req.abc_class.is_none() || req.kind == CountKind::Cycle,
        "abc_class",
        "only cycle counts choose a class",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let as_of = match req.as_of {
            Some(t) => Some(
                crate::stock::post::business_date(conn, actor, Some(t))
                    .map_err(|e| e.renamed("effective_at", "as_of"))?,
            ),
            None => None,
        };
        let w = load_visible(conn, actor, req.warehouse_id)
            .map_err(|_| AppError::field("warehouse_id", "no such warehouse"))?;
        let locations = counted_locations(conn, w.id, &req.location_ids)?;
        let in_class: Option<HashSet<ItemId>> = req
            .abc_class
            .map(|class| {
                repo::values_in(conn, w.id).map(|values| {
                    classify(&values)
                        .into_iter()
                        .filter(|(_, c)| *c == class)
                        .map(|(id, _)| id)
                        .collect()
                })
            })
            .transpose()?;
        let at = now();
        let mut s = CountSession {
            id: new_id(),
            company_id: actor.company_id.to_db(),
            number: String::new(),
            warehouse_id: w.id,
            kind: enum_to_db(&req.kind),
            abc_class: req.abc_class.map(|c| enum_to_db(&c)),
            status: CountStatus::Open,
            notes: req.notes.clone(),
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
            as_of,
        };
        let lines: Vec<CountLine> = on_hand_as_of(conn, &locations, None, None, as_of)?
            .into_iter()
            .filter(|(_, (on_hand, _))| *on_hand != 0)
            .filter(|((item, _, _), _)| in_class.as_ref().is_none_or(|set| set.contains(item)))
            .map(|((item_id, location_id, lot), (on_hand, _))| CountLine {
                id: new_id(),
                session_id: s.id.clone(),
                item_id,
                location_id,
                lot,
                expected_quantity: on_hand,
                counted_quantity: None,
                adjustment_move_id: None,
            })
            .collect();
        s.number = next_number(
            conn,
            CompanyId::from_db(&s.company_id)?,
            "CNT",
            chrono::Datelike::year(&at),
        )?;
        repo::insert(conn, &s, &lines)?;
        let out = to_response(conn, &s)?;
        audit::record(conn, actor, ENTITY, &s.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Records counted quantities; an item found where none was expected adds a line.
pub fn enter_counts(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CountId,
    req: EnterCountsRequest,
) -> Result<CountResponse, AppError> {
    actor.require("inventory.count.write")?;
    let mut v = Validator::new();
    v.check(
        !req.entries.is_empty(),
        "entries",
        "enter at least one count",
    );
    for (i, e) in req.entries.iter().enumerate() {
        v.check(
            e.counted_quantity >= Qty::ZERO,
            &format!("entries[{i}].counted_quantity"),
            "must not be negative",
        );
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let s = load(conn, actor, &id.to_string())?;
        if s.status != CountStatus::Open {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "enter counts on",
                current: s.status.to_string(),
            });
        }
        let scope = counted_locations(conn, s.warehouse_id, &[])?;
        let lines = repo::lines_of(conn, &s.id)?;
        let mut v = Validator::new();
        for (i, e) in req.entries.iter().enumerate() {
            let (item_id, loc) = (e.item_id, e.location_id);
            let lot = e.lot.clone().unwrap_or_default().trim().to_string();
            let counted = e.counted_quantity.to_scaled().map_err(|x| {
                AppError::field(format!("entries[{i}].counted_quantity"), x.to_string())
            })?;
            if !scope.contains(&loc) {
                v.add(
                    format!("entries[{i}].location_id"),
                    "is not counted in this session",
                );
                continue;
            }
            if item::service::load(conn, actor, e.item_id).is_err() {
                v.add(format!("entries[{i}].item_id"), "no such item");
                continue;
            }
            match lines
                .iter()
                .find(|l| l.item_id == item_id && l.location_id == loc && l.lot == lot)
            {
                Some(line) => repo::set_counted(conn, &line.id, counted)?,
                None => {
                    let expected =
                        stock_repo::balance(conn, item_id, loc, &lot)?.map_or(0, |b| b.on_hand);
                    repo::insert_line(
                        conn,
                        &CountLine {
                            id: new_id(),
                            session_id: s.id.clone(),
                            item_id,
                            location_id: loc,
                            lot,
                            expected_quantity: expected,
                            counted_quantity: Some(counted),
                            adjustment_move_id: None,
                        },
                    )?;
                }
            }
        }
        v.finish()?;
        to_response(conn, &s)
    })
}

/// Approves a count: every counted line is adjusted so that on hand equals what was found.
/// Lines not counted are left as they are.
pub fn approve_count(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CountId,
) -> Result<CountApprovalResponse, AppError> {
    actor.require("inventory.count.approve")?;
    write_tx(conn, |conn| {
        let s = load(conn, actor, &id.to_string())?;
        if !repo::set_status(conn, &s.id, "open", "approved", now())? {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "approve",
                current: s.status.to_string(),
            });
        }
        let mut moves = Vec::new();
        let lines = repo::lines_of(conn, &s.id)?;
        // Against on hand at the instant counted (now, or the count's `as_of`), so moves
        // posted while counting (or since `as_of`) are not undone.
        let mut locations: Vec<LocationId> = lines.iter().map(|l| l.location_id).collect();
        locations.sort();
        locations.dedup();
        let then = on_hand_as_of(conn, &locations, None, None, s.as_of)?;
        for line in lines {
            let Some(counted) = line.counted_quantity else {
                continue;
            };
            let current = then
                .get(&(line.item_id, line.location_id, line.lot.clone()))
                .map_or(0, |(on_hand, _)| *on_hand);
            let diff = counted - current;
            if diff == 0 {
                continue;
            }
            let loc = Some(line.location_id);
            let posted = post_move_for_document(
                conn,
                actor,
                PostMoveRequest {
                    move_type: MoveType::Adjustment,
                    item_id: line.item_id,
                    quantity: Qty::from_scaled(diff.abs()),
                    uom_id: None,
                    from_location_id: if diff < 0 { loc } else { None },
                    to_location_id: if diff > 0 { loc } else { None },
                    lot: Some(line.lot.clone()).filter(|l| !l.is_empty()),
                    unit_cost: None,
                    reference_type: Some("count".into()),
                    reference_id: Some(s.number.clone()),
                    reservation_id: None,
                    note: None,
                    effective_at: s.as_of.map(|t| t.and_utc()),
                },
                Visibility::Actor,
            )?;
            repo::set_adjustment(conn, &line.id, &posted.id.to_string())?;
            moves.push(posted);
        }
        let s = repo::find(conn, &s.id, &s.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
        let out = to_response(conn, &s)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &s.id,
            Change::Action("approve", Some(&out)),
        )?;
        Ok(CountApprovalResponse { count: out, moves })
    })
}

pub fn cancel_count(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CountId,
) -> Result<CountResponse, AppError> {
    actor.require("inventory.count.write")?;
    write_tx(conn, |conn| {
        let s = load(conn, actor, &id.to_string())?;
        if !repo::set_status(conn, &s.id, "open", "cancelled", now())? {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "cancel",
                current: s.status.to_string(),
            });
        }
        let s = repo::find(conn, &s.id, &s.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
        to_response(conn, &s)
    })
}

pub fn get_count(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CountId,
) -> Result<CountResponse, AppError> {
    actor.require("inventory.stock.read")?;
    let s = load(conn, actor, &id.to_string())?;
    to_response(conn, &s)
}

pub fn list_counts(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: CountListQuery,
) -> Result<CountPage, AppError> {
    actor.require("inventory.stock.read")?;
    let page = params.validate()?;
    let warehouses = warehouse_filter(conn, actor, q.warehouse_id)?;
    let rows = repo::list(
        conn,
        &actor.company_id.to_db(),
        warehouses.as_deref(),
        page.after.as_deref(),
        page.fetch_limit(),
    )?;
    let (rows, next_cursor) = page.finish(rows, |s| &s.id);
    let items = rows
        .iter()
        .map(|s| to_response(conn, s))
        .collect::<Result<_, _>>()?;
    Ok(CountPage { items, next_cursor })
}
