//! Replaying a book: the moves dated after a backdated one, costed again in order, their
//! changes of value kept to be written by `finish`, and the warehouses a changed transfer
//! carries the difference into (`Cascade`).

use super::*;
use crate::ids::WarehouseId;

impl Book<'_> {
    /// Costs again, in order, every move after the starting point; `caused_by` is the
    /// backdated move. Differences become `recost` (and `residue`) entries with their ledger
    /// amounts, written by `finish`; a transfer into another warehouse adds that warehouse to
    /// `cascade`.
    pub fn replay(
        &mut self,
        conn: &mut DbConnection,
        caused_by: &str,
        cascade: &mut Cascade,
    ) -> Result<(), AppError> {
        for l in std::mem::take(&mut self.later) {
            if l.quantity == 0 {
                continue;
            }
            let m = &l.m;
            // Its layer records are written anew.
            self.retaken.push(m.id.clone());
            let original = match &m.reversal_of_id {
                Some(o) => repo::find_move(conn, o, m.company_id)?,
                None => None,
            };
            let counter = ledger::counter_event(m, original.as_ref().map(|o| o.move_type));
            let here = (self.warehouse.id, self.warehouse.branch_id);
            if l.quantity > 0 {
                let value = original.as_ref().map_or(Money::from_scaled(l.value), |o| {
                    Money::from_scaled(o.total_cost)
                });
                self.post(m, Flow::In { value })?;
                let delta = scaled(value)? - l.value;
                if delta != 0 {
                    self.recost(conn, m, vec![(here.0, here.1, delta)], caused_by, counter)?;
                }
                continue;
            }
            let flow = match original.as_ref() {
                Some(o) if o.to_location_id.is_some() && o.to_location_id == m.from_location_id => {
                    Flow::Return {
                        receipt: o.id.clone(),
                        quantity: o.quantity,
                        value: Money::from_scaled(o.total_cost),
                    }
                }
                _ => Flow::Out,
            };
            let costed = self.post(m, flow)?;
            let delta = scaled(costed.value)? + l.value;
            if delta != 0 {
                let mut values = vec![(here.0, here.1, -delta)];
                if let Some(other) = receiving_warehouse(conn, m, self.warehouse.id)? {
                    repo::add_to_position(conn, self.item.id, other.id, 0, delta)?;
                    cascade.push((other.id, m.key()));
                    values.push((other.id, other.branch_id, delta));
                }
                let total = m.total_cost + delta;
                let unit = unit_cost_of(Money::from_scaled(total), Qty::from_scaled(m.quantity))
                    .map_err(|e| cost_error(e, Some(m)))?;
                self.restated
                    .costs
                    .push((m.id.clone(), unit.to_scaled().unwrap_or(0), total));
                self.recost(conn, m, values, caused_by, counter)?;
            }
            let residue = -scaled(costed.residue)?;
            if residue != l.residue {
                let values = vec![(here.0, here.1, residue - l.residue)];
                self.restate(
                    conn,
                    m,
                    values,
                    ENTRY_RESIDUE,
                    caused_by,
                    Restatement::Residue,
                )?;
            }
        }
        Ok(())
    }

    /// Keeps a re-costing of `m`, posted against the account its own posting used.
    fn recost(
        &mut self,
        conn: &mut DbConnection,
        m: &StockMove,
        values: Values,
        caused_by: &str,
        counter: PostingEvent,
    ) -> Result<(), AppError> {
        let why = Restatement::Recost(counter);
        self.restate(conn, m, values, ENTRY_RECOST, caused_by, why)
    }

    /// Keeps a change of value of `m`: its entries, and its ledger amounts added to the
    /// day's entry for the same reason.
    fn restate(
        &mut self,
        conn: &mut DbConnection,
        m: &StockMove,
        values: Values,
        kind: &str,
        caused_by: &str,
        why: Restatement,
    ) -> Result<(), AppError> {
        self.restated
            .entries
            .extend(entries_of(m, &values, kind, Some(caused_by)));
        let kept = match self.restated.books_kept {
            Some(k) => k,
            None => {
                let k =
                    ledger::books_kept(conn, self.item.company_id, self.item, self.warehouse.id)?;
                self.restated.books_kept = Some(k);
                k
            }
        };
        if !kept {
            return Ok(());
        }
        let day = m.effective_at.date();
        let postings = &mut self.restated.postings;
        let at = match postings.iter().position(|(d, w, _)| *d == day && *w == why) {
            Some(i) => i,
            None => {
                postings.push((day, why, Vec::new()));
                postings.len() - 1
            }
        };
        let lines = &mut postings[at].2;
        for (warehouse, branch, value) in values {
            match lines
                .iter_mut()
                .find(|(w, b, _)| *w == warehouse && *b == branch)
            {
                Some(line) => line.2 += value,
                None => lines.push((warehouse, branch, value)),
            }
        }
        Ok(())
    }
}

/// The other valued warehouse a transfer delivered into, if any.
fn receiving_warehouse(
    conn: &mut DbConnection,
    m: &StockMove,
    sender: WarehouseId,
) -> Result<Option<Warehouse>, AppError> {
    let Some(to) = &m.to_location_id else {
        return Ok(None);
    };
    let Some(location) = warehouse_repo::find_location(conn, *to)? else {
        return Ok(None);
    };
    if !location.is_valued() || location.warehouse_id == sender {
        return Ok(None);
    }
    Ok(warehouse_repo::find(
        conn,
        location.warehouse_id,
        m.company_id,
    )?)
}

/// Re-costs `warehouse` from `start` after a transfer into it changed value, and whatever
/// that carries on into.
pub(in crate::stock) fn run_cascade(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    caused_by: &str,
    mut cascade: Cascade,
) -> Result<(), AppError> {
    let mut rounds = 0;
    while let Some((warehouse_id, start)) = cascade.pop() {
        rounds += 1;
        if rounds > 10_000 {
            return Err(InventoryError::RecostTooDeep.into());
        }
        let warehouse = warehouse_repo::find(conn, warehouse_id, item.company_id)?
            .ok_or(AppError::NotFound("warehouse"))?;
        let mut book = Book::open(conn, item, warehouse, &start)?;
        book.replay(conn, caused_by, &mut cascade)?;
        book.finish(conn, actor, caused_by)?;
    }
    Ok(())
}
