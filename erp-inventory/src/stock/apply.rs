//! Applying a move that `post.rs` has resolved and checked: the physical balances, the value
//! in each warehouse's book (and what a backdated move re-costs), the move row, its value
//! entries and journal, and the reservation it consumes, in the caller's transaction.

use erp_core::auth::Actor;
use erp_core::db::{new_id, now, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::BranchId;
use erp_core::money::{Money, Price, Qty};

use super::costing::{self, Book, Cascade, Flow};
use super::dto::MoveType;
use super::ledger::{self, Restatement};
use super::model::{StockMove, ValueEntry, ENTRY_MOVE, ENTRY_RESIDUE};
use super::post::Endpoint;
use super::repo;
use super::repo::reservations::{self as reservation_repo, Reservation};
use crate::ids::{LocationId, UomId, WarehouseId};
use crate::item::model::Item;
use crate::valuation::engine::{unit_cost_of, value_of, CostError};
use crate::warehouse::repo::Warehouse;

/// A move ready to apply: resolved, converted to the base unit, checked.
pub(super) struct NewMove<'a> {
    pub move_type: MoveType,
    pub item: &'a Item,
    pub quantity: Qty,
    pub entered_quantity: Qty,
    pub entered_uom: UomId,
    pub from: Option<Endpoint>,
    pub to: Option<Endpoint>,
    pub lot: String,
    pub unit_cost: Option<Price>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub reservation: Option<Reservation>,
    pub reversal_of: Option<StockMove>,
    pub note: Option<String>,
    pub effective_at: chrono::NaiveDateTime,
}

/// The warehouses whose value a move changes: the one it leaves and the one it enters, none
/// when it stays inside one warehouse or touches only unvalued locations.
struct Valued {
    out_wh: Option<Warehouse>,
    in_wh: Option<Warehouse>,
}

impl Valued {
    fn of(m: &NewMove<'_>) -> Valued {
        let valued = |e: &Option<Endpoint>| e.clone().filter(|e| e.location.is_valued());
        let (from_valued, to_valued) = (valued(&m.from), valued(&m.to));
        let same_warehouse = matches!((&from_valued, &to_valued), (Some(f), Some(t)) if f.warehouse.id == t.warehouse.id);
        Valued {
            out_wh: from_valued.filter(|_| !same_warehouse).map(|e| e.warehouse),
            in_wh: to_valued.filter(|_| !same_warehouse).map(|e| e.warehouse),
        }
    }
}

/// What costing the move in its books gave: the value entries to write (warehouse,
/// quantity, value), the cost out, the value in, and a moving average's residue.
struct Costed {
    entries: Vec<(WarehouseId, i64, i64)>,
    out_cost: Option<Money>,
    in_value: Option<Money>,
    residue: Money,
}

pub(super) fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    m: NewMove<'_>,
) -> Result<StockMove, AppError> {
    let q = m
        .quantity
        .to_scaled()
        .map_err(|e| AppError::field("quantity", e.to_string()))?;
    let item = m.item;
    let valued = Valued::of(&m);
    let move_id = new_id();
    // Lock order: valuation rows by warehouse id, then balances by location id.
    let mut books = open_books(conn, item, &valued, &(m.effective_at, move_id.clone()))?;
    move_balances(conn, item, &m, q)?;
    let mut posted = move_row(actor, &m, move_id.clone(), q)?;
    let costed = cost_in_books(&mut books, &valued, &m, &posted, q)?;
    let total = costed.out_cost.or(costed.in_value).unwrap_or(Money::ZERO);
    let unit_cost = match (m.unit_cost, costed.out_cost) {
        (Some(u), None) => u,
        _ => unit_cost_of(total, m.quantity).map_err(|e| costing::cost_error(e, None))?,
    };
    posted.unit_cost = unit_cost
        .to_scaled()
        .map_err(|e| costing::cost_error(CostError::from(e), None))?;
    posted.total_cost = total
        .to_scaled()
        .map_err(|e| costing::cost_error(CostError::from(e), None))?;
    repo::insert_move(conn, &posted)?;

    // Moves dated after this one in the same warehouses are costed again from it.
    let mut cascade = Cascade::new();
    for b in &mut books {
        b.replay(conn, &move_id, &mut cascade)?;
    }
    for b in books {
        b.finish(conn, actor, &move_id)?;
    }
    record_value(conn, actor, &m, &valued, &posted, costed)?;
    costing::run_cascade(conn, actor, item, &move_id, cascade)?;
    if let Some(r) = &m.reservation {
        if !reservation_repo::consume(conn, &r.id, q)? {
            return Err(AppError::field(
                "quantity",
                "is more than the reservation has left",
            ));
        }
    }
    Ok(posted)
}

/// Opens the book of each valued warehouse, by warehouse id. Each book holds the item's
/// value in one warehouse as it stood at the move's business date.
fn open_books<'a>(
    conn: &mut DbConnection,
    item: &'a Item,
    valued: &Valued,
    start: &super::model::Key,
) -> Result<Vec<Book<'a>>, AppError> {
    let mut warehouses: Vec<Warehouse> = [&valued.out_wh, &valued.in_wh]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    warehouses.sort_by_key(|a| a.id);
    warehouses
        .into_iter()
        .map(|w| Book::open(conn, item, w, start))
        .collect()
}

/// Takes the quantity off the side it leaves and puts it on the side it enters, by
/// location id. Stock that leaves must be available (or reserved for the move), unless its
/// warehouse allows negative stock.
fn move_balances(
    conn: &mut DbConnection,
    item: &Item,
    m: &NewMove<'_>,
    q: i64,
) -> Result<(), AppError> {
    let mut sides: Vec<(&Endpoint, bool)> = Vec::new();
    if let Some(f) = &m.from {
        sides.push((f, true));
    }
    if let Some(t) = &m.to {
        sides.push((t, false));
    }
    sides.sort_by_key(|a| a.0.location.id);
    for (side, outgoing) in sides {
        let loc = &side.location.id;
        if !outgoing {
            repo::add_on_hand(conn, item.id, *loc, &m.lot, q)?;
        } else if m.reservation.is_some() {
            if !repo::take_reserved(conn, item.id, *loc, &m.lot, q)? {
                return Err(insufficient(conn, item, *loc, &m.lot, q));
            }
        } else if side.warehouse.allow_negative {
            repo::add_on_hand(conn, item.id, *loc, &m.lot, -q)?;
        } else if !repo::take_available(conn, item.id, *loc, &m.lot, q)? {
            return Err(insufficient(conn, item, *loc, &m.lot, q));
        }
    }
    Ok(())
}

/// The move's row, its costs still zero.
fn move_row(actor: &Actor, m: &NewMove<'_>, id: String, q: i64) -> Result<StockMove, AppError> {
    Ok(StockMove {
        id,
        company_id: actor.company_id,
        item_id: m.item.id,
        move_type: m.move_type,
        quantity: q,
        entered_quantity: m
            .entered_quantity
            .to_scaled()
            .map_err(|e| AppError::field("quantity", e.to_string()))?,
        entered_uom_id: m.entered_uom,
        from_location_id: m.from.as_ref().map(|f| f.location.id),
        to_location_id: m.to.as_ref().map(|t| t.location.id),
        lot: m.lot.clone(),
        unit_cost: 0,
        total_cost: 0,
        reference_type: m.reference_type.clone(),
        reference_id: m.reference_id.clone(),
        reservation_id: m.reservation.as_ref().map(|r| r.id.clone()),
        reversal_of_id: m.reversal_of.as_ref().map(|o| o.id.clone()),
        note: m.note.clone(),
        posted_at: now(),
        user_id: actor.user_id,
        effective_at: m.effective_at,
    })
}

/// Costs the move in its books: out of the warehouse it leaves at the cost the method
/// gives (a reversal of a receipt takes back exactly what it brought), into the one it
/// enters at that cost, or its given unit cost, or the average (the standard cost for a
/// receipt without one).
fn cost_in_books(
    books: &mut [Book<'_>],
    valued: &Valued,
    m: &NewMove<'_>,
    posted: &StockMove,
    q: i64,
) -> Result<Costed, AppError> {
    let book_of = |books: &[Book<'_>], id: WarehouseId| {
        books
            .iter()
            .position(|b| b.warehouse.id == id)
            .expect("opened above")
    };
    let standard = Price::new(Money::from_scaled(m.item.standard_cost).value()).unwrap_or_default();
    let mut costed = Costed {
        entries: Vec::new(),
        out_cost: None,
        in_value: None,
        residue: Money::ZERO,
    };
    if let Some(w) = &valued.out_wh {
        let b = book_of(books, w.id);
        let flow = match m
            .reversal_of
            .as_ref()
            .filter(|o| o.to_location_id.as_ref() == m.from.as_ref().map(|f| &f.location.id))
        {
            Some(original) => Flow::Return {
                receipt: original.id.clone(),
                quantity: original.quantity,
                value: Money::from_scaled(original.total_cost),
            },
            None => Flow::Out,
        };
        let out = books[b].post(posted, flow)?;
        costed
            .entries
            .push((w.id, -q, -out.value.to_scaled().unwrap_or(0)));
        costed.out_cost = Some(out.value);
        costed.residue = out.residue;
    }
    if let Some(w) = &valued.in_wh {
        let b = book_of(books, w.id);
        let value = match (costed.out_cost, &m.reversal_of) {
            (Some(c), _) => c,
            (None, Some(original)) => Money::from_scaled(original.total_cost),
            (None, None) => {
                let unit = m.unit_cost.unwrap_or_else(|| {
                    if m.move_type != MoveType::Receipt {
                        books[b].average().unwrap_or(standard)
                    } else {
                        standard
                    }
                });
                value_of(m.quantity, unit).map_err(|e| costing::cost_error(e, None))?
            }
        };
        books[b].post(posted, Flow::In { value })?;
        costed
            .entries
            .push((w.id, q, value.to_scaled().unwrap_or(0)));
        costed.in_value = Some(value);
    }
    Ok(costed)
}

/// Writes the move's value entries and posts them to the journal; a moving average's
/// residue is written off as its own entry.
fn record_value(
    conn: &mut DbConnection,
    actor: &Actor,
    m: &NewMove<'_>,
    valued: &Valued,
    posted: &StockMove,
    costed: Costed,
) -> Result<(), AppError> {
    let branch_of = |wid: WarehouseId| {
        [&m.from, &m.to]
            .into_iter()
            .flatten()
            .find(|e| e.warehouse.id == wid)
            .map(|e| e.warehouse.branch_id)
            .ok_or_else(|| {
                AppError::Internal(format!("value entered in warehouse {wid}, not the move's"))
            })
    };
    let values: Vec<(WarehouseId, BranchId, i64)> = costed
        .entries
        .iter()
        .map(|(wid, _, value)| Ok((*wid, branch_of(*wid)?, *value)))
        .collect::<Result<_, AppError>>()?;
    let reversed_type = m.reversal_of.as_ref().map(|o| o.move_type);
    for (warehouse_id, quantity, value) in costed.entries {
        repo::insert_entry(
            conn,
            &ValueEntry {
                id: new_id(),
                move_id: posted.id.clone(),
                item_id: m.item.id,
                warehouse_id,
                quantity,
                value,
                posted_at: posted.posted_at,
                effective_at: posted.effective_at,
                kind: ENTRY_MOVE.into(),
                caused_by_move_id: None,
            },
        )?;
    }
    ledger::post_value(conn, actor, posted, m.item, &values, reversed_type)?;
    if costed.residue != Money::ZERO {
        let w = valued
            .out_wh
            .as_ref()
            .expect("a residue is left where stock went out");
        let values = vec![(w.id, w.branch_id, -costed.residue.to_scaled().unwrap_or(0))];
        repo::insert_entries(
            conn,
            &costing::entries_of(posted, &values, ENTRY_RESIDUE, None),
        )?;
        ledger::restate(
            conn,
            actor,
            posted.company_id,
            &posted.id,
            m.item,
            posted.effective_at.date(),
            Restatement::Residue,
            &values,
        )?;
    }
    Ok(())
}

fn insufficient(
    conn: &mut DbConnection,
    item: &Item,
    location: LocationId,
    lot: &str,
    requested: i64,
) -> AppError {
    let available = repo::balance(conn, item.id, location, lot)
        .ok()
        .flatten()
        .map_or(0, |b| b.on_hand - b.reserved)
        .max(0);
    AppError::InsufficientStock {
        item: item.sku.clone(),
        requested: Qty::from_scaled(requested).to_string(),
        available: Qty::from_scaled(available).to_string(),
    }
}
