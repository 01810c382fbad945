//! The value side of posting, for one item in one warehouse, on the business-date timeline.
//!
//! A move is costed against the position (and layers) as they stood at its business date:
//! the cached position minus what the moves after that date did. When such later moves
//! exist (a backdated move), they are costed again in order, each against what came before
//! it; a cost that changes becomes a `recost` value entry on the later move, caused by the
//! backdated one, with its ledger entry dated as the later move. The work is proportional to
//! the moves after the date for this item and warehouse; a transfer whose cost changed
//! carries the difference into the receiving warehouse, which is re-costed from that
//! transfer on (`Cascade`). Nothing else is read.
//!
//! Incoming values stay as they were posted (receipts at their price, adjustments at the
//! average they were given, a transfer at what left the sender), except a reversal, which
//! always carries what its original move is worth now.

mod replay;

use std::collections::HashSet;

use erp_core::auth::Actor;
use erp_core::db::{new_id, now, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::BranchId;
use erp_core::money::{Money, Price, Qty};

use super::ledger::{self, Restatement};
use super::model::{
    CostLayer, Key, LayerTake, StockMove, ValueEntry, ENTRY_MOVE, ENTRY_RECOST, ENTRY_RESIDUE,
};
use super::repo;
use crate::error::InventoryError;
use crate::ids::WarehouseId;
use crate::item::dto::ValuationMethod;
use crate::item::model::Item;
use crate::valuation::engine::{issue_fifo, unit_cost_of, CostError, Layer, Position};
use crate::warehouse::repo::{self as warehouse_repo, Warehouse};
use chrono::NaiveDate;
use erp_finance::rule::dto::PostingEvent;

pub(super) use replay::run_cascade;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Average,
    Fifo,
    /// Specific identification: FIFO among the layers of the lot issued.
    Lot,
}

impl Method {
    fn of(item: &Item) -> Method {
        match item.valuation_method() {
            ValuationMethod::Fifo => Method::Fifo,
            ValuationMethod::SpecificIdentification => Method::Lot,
            ValuationMethod::MovingAverage => Method::Average,
        }
    }
}

/// What a move does to one warehouse's value.
pub(super) enum Flow {
    /// Comes in worth `value`.
    In { value: Money },
    /// Goes out at the cost the method gives it.
    Out,
    /// Takes back a move that came in here (a reversal): exactly its value and, for layered
    /// items, exactly its own layer, untouched.
    Return {
        receipt: String,
        quantity: i64,
        value: Money,
    },
}

/// The value a move carried here (cost out or value in), and the value a moving-average
/// position had left when it reached zero units (taken out as a residue).
pub(super) struct Costed {
    pub value: Money,
    pub residue: Money,
}

struct LiveLayer {
    row: CostLayer,
    /// Already on the replayed timeline (a layer made by a later move is not until its
    /// move is replayed).
    present: bool,
    dirty: bool,
    new: bool,
}

/// A move after the starting point, with what its entries here add up to.
struct Later {
    m: StockMove,
    /// Signed quantity of its own entry: > 0 in, < 0 out.
    quantity: i64,
    /// Its own entry plus re-costings.
    value: i64,
    residue: i64,
}

/// A warehouse to re-cost from a transfer whose cost changed.
pub(super) type Cascade = Vec<(WarehouseId, Key)>;

/// The value of one item in one warehouse as it stood at a point of the timeline.
pub(super) struct Book<'a> {
    item: &'a Item,
    pub warehouse: Warehouse,
    method: Method,
    standard: Price,
    opened: (i64, i64),
    pos: Position,
    layers: Vec<LiveLayer>,
    later: Vec<Later>,
    takes: Vec<LayerTake>,
    /// Later moves replayed: their old layer records go.
    retaken: Vec<String>,
    /// Re-costings found by `replay`, written by `finish` in a few statements.
    restated: Restated,
}

/// Value changes per (warehouse, its branch, value ×10^4).
type Values = Vec<(WarehouseId, BranchId, i64)>;

/// What a replay changed, kept to be written at once.
#[derive(Default)]
struct Restated {
    entries: Vec<ValueEntry>,
    costs: Vec<(String, i64, i64)>,
    /// Ledger amounts per (business day, reason): (warehouse, branch, value).
    postings: Vec<(NaiveDate, Restatement, Values)>,
    books_kept: Option<bool>,
}

/// The problem a costing error is: for a layered issue, with the business date it was
/// costed at when known.
pub(super) fn cost_error(e: CostError, at: Option<&StockMove>) -> AppError {
    match e {
        CostError::NotEnoughLayers {
            requested,
            available,
        } => InventoryError::LayersExhausted {
            available,
            requested,
            on: at.map(|m| m.effective_at.format("%Y-%m-%d %H:%M").to_string()),
        }
        .into(),
        CostError::Amount(a) => InventoryError::AmountOutOfRange(a.to_string()).into(),
    }
}

fn scaled(m: Money) -> Result<i64, AppError> {
    m.to_scaled()
        .map_err(|e| InventoryError::AmountOutOfRange(e.to_string()).into())
}

impl<'a> Book<'a> {
    /// Locks the item's position in `warehouse` and winds it back to just before `start`.
    pub fn open(
        conn: &mut DbConnection,
        item: &'a Item,
        warehouse: Warehouse,
        start: &Key,
    ) -> Result<Book<'a>, AppError> {
        let (qty, value) = repo::lock_position(conn, item.id, warehouse.id)?;
        let (mut q, mut v) = (qty, value);
        let mut later: Vec<Later> = Vec::new();
        for (e, m) in repo::entries_from(conn, item.id, warehouse.id, start)? {
            q -= e.quantity;
            v -= e.value;
            if later.last().is_none_or(|l| l.m.id != m.id) {
                later.push(Later {
                    m,
                    quantity: 0,
                    value: 0,
                    residue: 0,
                });
            }
            let l = later.last_mut().expect("pushed above");
            match e.kind.as_str() {
                ENTRY_RESIDUE => l.residue += e.value,
                kind => {
                    l.value += e.value;
                    if kind == ENTRY_MOVE {
                        l.quantity += e.quantity;
                    }
                }
            }
        }
        let method = Method::of(item);
        let mut layers = Vec::new();
        if method != Method::Average {
            let ids: Vec<String> = later.iter().map(|l| l.m.id.clone()).collect();
            let takes = repo::takes_of(conn, &ids)?;
            let took: HashSet<&str> = takes.iter().map(|t| t.move_id.as_str()).collect();
            if let Some(l) = later
                .iter()
                .find(|l| l.quantity < 0 && !took.contains(l.m.id.as_str()))
            {
                return Err(InventoryError::RecostUnavailable(
                    l.m.effective_at.format("%Y-%m-%d %H:%M").to_string(),
                )
                .into());
            }
            let taken: Vec<String> = takes.iter().map(|t| t.layer_id.clone()).collect();
            let made_later: HashSet<&str> = ids.iter().map(String::as_str).collect();
            let rows = if ids.is_empty() {
                repo::open_layers(conn, item.id, warehouse.id)?
            } else {
                repo::layers_for_replay(conn, item.id, warehouse.id, &taken, &ids)?
            };
            layers = rows
                .into_iter()
                .map(|row| LiveLayer {
                    present: !made_later.contains(row.move_id.as_str()),
                    row,
                    dirty: false,
                    new: false,
                })
                .collect();
            for t in &takes {
                if let Some(l) = layers.iter_mut().find(|l| l.row.id == t.layer_id) {
                    l.row.quantity_remaining += t.quantity;
                    l.row.value_remaining += t.value;
                    l.dirty = true;
                }
            }
        }
        let standard =
            Price::new(Money::from_scaled(item.standard_cost).value()).unwrap_or_default();
        Ok(Book {
            item,
            warehouse,
            method,
            standard,
            opened: (qty, value),
            pos: Position {
                quantity: Qty::from_scaled(q),
                value: Money::from_scaled(v),
            },
            layers,
            later,
            takes: Vec::new(),
            retaken: Vec::new(),
            restated: Restated::default(),
        })
    }

    /// The position before the next move posted; what a move without a cost comes in at.
    pub fn average(&self) -> Option<Price> {
        (self.pos.quantity > Qty::ZERO)
            .then(|| unit_cost_of(self.pos.value, self.pos.quantity).ok())
            .flatten()
    }

    /// Costs move `m` (quantity `quantity` in this warehouse) at the current point.
    pub fn post(&mut self, m: &StockMove, flow: Flow) -> Result<Costed, AppError> {
        let quantity = Qty::from_scaled(m.quantity);
        let mut takes = Vec::new();
        let mut residue = Money::ZERO;
        let err = |e: CostError| cost_error(e, Some(m));
        let value = match flow {
            Flow::In { value } => {
                self.pos.receive(quantity, value).map_err(err)?;
                if self.method != Method::Average {
                    self.make_layer(m, value)?;
                }
                value
            }
            Flow::Return {
                receipt,
                quantity: original,
                value,
            } => {
                if self.method != Method::Average {
                    let i = self
                        .layers
                        .iter()
                        .position(|l| {
                            l.present
                                && l.row.move_id == receipt
                                && l.row.quantity_remaining == original
                        })
                        .ok_or(InventoryError::LayerConsumed)?;
                    takes.push(self.take(m, i, original));
                }
                self.pos.quantity = Qty::new(self.pos.quantity.value() - quantity.value())
                    .map_err(|e| err(e.into()))?;
                self.pos.value = Money::new(self.pos.value.value() - value.value())
                    .map_err(|e| err(e.into()))?;
                if self.method == Method::Average
                    && self.pos.quantity == Qty::ZERO
                    && self.pos.value != Money::ZERO
                {
                    residue = self.pos.value;
                    self.pos.value = Money::ZERO;
                }
                value
            }
            Flow::Out => match self.method {
                Method::Average => {
                    let had = self.pos.quantity;
                    let cost = self
                        .pos
                        .issue_moving_average(quantity, self.standard)
                        .map_err(err)?;
                    // Only a move that takes the position below zero is refused: a position
                    // already negative (negative stock allowed before) is not this move's doing.
                    if had >= Qty::ZERO
                        && self.pos.quantity < Qty::ZERO
                        && !self.warehouse.allow_negative
                    {
                        return Err(InventoryError::InsufficientStockAtDate {
                            sku: self.item.sku.clone(),
                            warehouse: self.warehouse.code.clone(),
                            on: m.effective_at.format("%Y-%m-%d %H:%M").to_string(),
                        }
                        .into());
                    }
                    cost
                }
                Method::Fifo | Method::Lot => {
                    let lot_only = self.method == Method::Lot;
                    let open: Vec<usize> = (0..self.layers.len())
                        .filter(|&i| {
                            let l = &self.layers[i];
                            l.present && (!lot_only || l.row.lot == m.lot)
                        })
                        .collect();
                    let mut view: Vec<Layer> = open
                        .iter()
                        .map(|&i| Layer {
                            quantity: Qty::from_scaled(self.layers[i].row.quantity_remaining),
                            value: Money::from_scaled(self.layers[i].row.value_remaining),
                        })
                        .collect();
                    let (cost, taken) = issue_fifo(&mut view, quantity).map_err(err)?;
                    for t in taken {
                        let i = open[t.layer];
                        let l = &mut self.layers[i];
                        l.row.quantity_remaining -= scaled_qty(t.quantity)?;
                        l.row.value_remaining -= scaled(t.cost)?;
                        l.dirty = true;
                        takes.push(LayerTake {
                            id: new_id(),
                            move_id: m.id.clone(),
                            layer_id: l.row.id.clone(),
                            quantity: scaled_qty(t.quantity)?,
                            value: scaled(t.cost)?,
                        });
                    }
                    self.pos.quantity = Qty::new(self.pos.quantity.value() - quantity.value())
                        .map_err(|e| err(e.into()))?;
                    self.pos.value = Money::new(self.pos.value.value() - cost.value())
                        .map_err(|e| err(e.into()))?;
                    cost
                }
            },
        };
        self.takes.extend(takes);
        Ok(Costed { value, residue })
    }

    fn take(&mut self, m: &StockMove, i: usize, quantity: i64) -> LayerTake {
        let l = &mut self.layers[i];
        let t = LayerTake {
            id: new_id(),
            move_id: m.id.clone(),
            layer_id: l.row.id.clone(),
            quantity,
            value: l.row.value_remaining,
        };
        l.row.quantity_remaining -= quantity;
        l.row.value_remaining = 0;
        l.dirty = true;
        t
    }

    /// The layer of an incoming move: made anew, or (replaying) its own layer made whole.
    fn make_layer(&mut self, m: &StockMove, value: Money) -> Result<(), AppError> {
        let value = scaled(value)?;
        if let Some(l) = self.layers.iter_mut().find(|l| l.row.move_id == m.id) {
            l.row.quantity_remaining = m.quantity;
            l.row.value_remaining = value;
            l.present = true;
            l.dirty = true;
            return Ok(());
        }
        let row = CostLayer {
            id: new_id(),
            item_id: self.item.id,
            warehouse_id: self.warehouse.id,
            move_id: m.id.clone(),
            quantity_remaining: m.quantity,
            value_remaining: value,
            created_at: now(),
            effective_at: m.effective_at,
            lot: m.lot.clone(),
        };
        let at = self.layers.partition_point(|l| {
            (l.row.effective_at, l.row.created_at) <= (row.effective_at, row.created_at)
        });
        self.layers.insert(
            at,
            LiveLayer {
                row,
                present: true,
                dirty: true,
                new: true,
            },
        );
        Ok(())
    }

    /// Writes what the book changed: the position (as a difference, so re-costings carried
    /// in from other warehouses compose), layers, the layers each move took, and what a
    /// replay restated (entries, move costs, one journal entry per day and reason).
    pub fn finish(
        self,
        conn: &mut DbConnection,
        actor: &Actor,
        caused_by: &str,
    ) -> Result<(), AppError> {
        let dq = scaled_qty(self.pos.quantity)? - self.opened.0;
        let dv = scaled(self.pos.value)? - self.opened.1;
        repo::add_to_position(conn, self.item.id, self.warehouse.id, dq, dv)?;
        for l in self.layers.iter().filter(|l| l.dirty) {
            if l.new {
                repo::insert_layer(conn, &l.row)?;
            } else {
                repo::update_layer(
                    conn,
                    &l.row.id,
                    l.row.quantity_remaining,
                    l.row.value_remaining,
                )?;
            }
        }
        if self.method != Method::Average {
            if !self.retaken.is_empty() {
                repo::delete_takes(conn, &self.retaken)?;
            }
            repo::insert_takes(conn, &self.takes)?;
        }
        let r = self.restated;
        repo::insert_entries(conn, &r.entries)?;
        repo::set_move_costs(conn, &r.costs)?;
        for (day, why, values) in r.postings {
            ledger::restate(
                conn,
                actor,
                self.item.company_id,
                caused_by,
                self.item,
                day,
                why,
                &values,
            )?;
        }
        Ok(())
    }
}

fn scaled_qty(q: Qty) -> Result<i64, AppError> {
    q.to_scaled()
        .map_err(|e| AppError::field("quantity", e.to_string()))
}

/// Value entries of `m` of some kind, one per (warehouse, branch, value).
pub(super) fn entries_of(
    m: &StockMove,
    values: &[(WarehouseId, BranchId, i64)],
    kind: &str,
    caused_by: Option<&str>,
) -> Vec<ValueEntry> {
    let at = now();
    values
        .iter()
        .map(|(warehouse_id, _, value)| ValueEntry {
            id: new_id(),
            move_id: m.id.clone(),
            item_id: m.item_id,
            warehouse_id: *warehouse_id,
            quantity: 0,
            value: *value,
            posted_at: at,
            effective_at: m.effective_at,
            kind: kind.into(),
            caused_by_move_id: caused_by.map(str::to_string),
        })
        .collect()
}
