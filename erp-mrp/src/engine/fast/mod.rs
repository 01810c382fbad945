//! The engine on scaled integers, for speed: quantities in millionths (`i64`, the six places
//! quantities keep), cost sums in `i128`, every item's six rows in one flat array, every
//! requirement in one arena. It follows [`super::exact`] step by step and gives the same
//! plans. Where a number does not fit (more than six decimals, or an overflow anywhere) it
//! gives up, and the exact engine plans instead.

mod lots;
mod num;
mod pegging;

use rust_decimal::Decimal;

use super::{PlanInput, PlanOutput, PlannedOrder, Records, Source, StableHash};
use lots::{order_lots, Rule};
use num::*;
use pegging::{action_messages, Pegger};

/// One unit, in millionths.
const ONE: i64 = 1_000_000;
/// The end of a list; the parent of an independent demand.
const NONE: u32 = u32::MAX;
/// The six rows of a record, in [`MrpRecord`]'s order.
const ROWS: usize = 6;
const GROSS: usize = 0;
const RECEIPTS: usize = 1;

/// An item as this engine plans it (a phantom's rule, lead time and safety stock already
/// replaced by lot-for-lot, none and none).
struct Item {
    lead_time: usize,
    safety: i64,
    on_hand: i64,
    rule: Rule,
    minimum: Option<i64>,
    maximum: Option<i64>,
    multiple: Option<i64>,
    phantom: bool,
}

impl Item {
    fn of(it: &super::PlanItem) -> Fit<Item> {
        let positive = |d: Option<Decimal>| d.filter(|m| *m > Decimal::ZERO).map(micro);
        let on_hand = micro(it.on_hand)?;
        if it.phantom {
            return Ok(Item {
                lead_time: 0,
                safety: 0,
                on_hand,
                rule: Rule::LotForLot,
                minimum: None,
                maximum: None,
                multiple: None,
                phantom: true,
            });
        }
        Ok(Item {
            lead_time: it.lead_time,
            safety: micro(it.safety_stock)?,
            on_hand,
            rule: Rule::of(&it.lot_sizing)?,
            minimum: it.modifiers.minimum.map(micro).transpose()?,
            maximum: positive(it.modifiers.maximum).transpose()?,
            multiple: positive(it.modifiers.multiple).transpose()?,
            phantom: false,
        })
    }
}

struct Line {
    child: usize,
    per: i128,
    /// 10^6 - scrap in millionths: the share of the component that ends in the parent.
    kept: i128,
    from: Option<usize>,
    to: Option<usize>,
}

impl Line {
    /// `q * per / (1 - scrap)` rounded up to millionths, as the exact engine rounds it.
    fn requirement(&self, q: i64) -> Fit<i64> {
        // In 64 bits when the product fits (the common case: 128-bit division is slow), and
        // by the constant 10^6 when nothing is scrapped (a multiplication, not a division).
        if let (Ok(per), Ok(kept)) = (i64::try_from(self.per), i64::try_from(self.kept)) {
            if let Some(n) = q.checked_mul(per) {
                if kept == ONE {
                    return Ok(n.div_euclid(ONE) + i64::from(n.rem_euclid(ONE) != 0));
                }
                return Ok(n.div_euclid(kept) + i64::from(n.rem_euclid(kept) != 0));
            }
        }
        let n = mul2(i128::from(q), self.per)?;
        let r = n.div_euclid(self.kept) + i128::from(n.rem_euclid(self.kept) != 0);
        i64::try_from(r).map_err(|_| Misfit)
    }
}

/// One requirement: an independent demand (`parent` NONE, `index` into the input's demands)
/// or a parent's order exploded (`index` its ordinal among the parent's orders).
#[derive(Clone, Copy)]
struct Element {
    quantity: i64,
    bucket: u32,
    parent: u32,
    index: u32,
}

impl Element {
    fn source(&self) -> Source {
        if self.parent == NONE {
            Source::Independent(self.index)
        } else {
            Source::Order {
                item: self.parent,
                ordinal: self.index,
            }
        }
    }
}

/// Every item's requirements, in the order they arose. An item's list is handed back once
/// the item is planned and pegged, and reused for an item still to come.
struct Requirements {
    lists: Vec<Vec<Element>>,
    spare: Vec<Vec<Element>>,
}

impl Requirements {
    fn new(n: usize) -> Self {
        Requirements {
            lists: vec![Vec::new(); n],
            spare: Vec::new(),
        }
    }

    fn push(&mut self, item: usize, e: Element) {
        let list = &mut self.lists[item];
        if list.capacity() == 0 {
            if let Some(spare) = self.spare.pop() {
                *list = spare;
            }
        }
        list.push(e);
    }

    fn of(&self, item: usize) -> &[Element] {
        &self.lists[item]
    }

    /// Item `item`'s list, no longer needed.
    fn release(&mut self, item: usize) {
        let mut list = std::mem::take(&mut self.lists[item]);
        if list.capacity() > 0 {
            list.clear();
            self.spare.push(list);
        }
    }
}

/// Buffers reused from one shortage, lot and item to the next.
#[derive(Default)]
struct Scratch {
    r: Vec<i64>,
    lots: Vec<i64>,
    best: Vec<i128>,
    from: Vec<usize>,
}

/// Plans as [`super::exact::plan`] does; `None` when a number does not fit.
pub(super) fn plan(
    input: &PlanInput,
    codes: &[u32],
    previous: Option<(&PlanOutput, &[bool])>,
) -> Option<PlanOutput> {
    plan_fit(input, codes, previous).ok()
}

fn plan_fit(
    input: &PlanInput,
    codes: &[u32],
    previous: Option<(&PlanOutput, &[bool])>,
) -> Fit<PlanOutput> {
    let n = input.items.len();
    let h = input.buckets;
    if n >= NONE as usize || h >= NONE as usize {
        return Err(Misfit);
    }
    let items = input.items.iter().map(Item::of).collect::<Fit<Vec<_>>>()?;
    let mut rows = vec![0i64; n.checked_mul(ROWS * h).ok_or(Misfit)?];
    add_scheduled_receipts(input, &mut rows)?;
    let mut requirements = independent_demand(input)?;
    let lines = Lines::new(input)?;
    let mut sequence: Vec<usize> = (0..n).collect();
    sequence.sort_by_key(|i| (codes[*i], *i));
    let previous_orders = previous.map_or_else(Vec::new, |(p, _)| orders_by_item(p, n));

    let mut orders: Vec<PlannedOrder> = Vec::new();
    let mut replanned = vec![true; n];
    let mut demand_hashes = vec![0u64; n];
    let mut scratch = Scratch::default();
    let mut pegs = Vec::new();
    let mut pegger = Pegger::default();
    for i in sequence {
        let rec = &mut rows[i * ROWS * h..(i + 1) * ROWS * h];
        let hash = add_gross(rec, h, requirements.of(i), input)?;
        demand_hashes[i] = hash;
        let first = orders.len();
        match previous {
            Some((p, changed)) if !changed[i] && p.demand_hashes[i] == hash => {
                // Taken over: the previous record's rows and orders, as the exact engine does.
                rec.copy_from_slice(p.records.cells_of(i));
                orders.extend(previous_orders[i].iter().map(|o| (*o).clone()));
                replanned[i] = false;
            }
            _ => net_item(&items[i], i, rec, h, &mut orders, &mut scratch)?,
        }
        if orders.len() >= NONE as usize {
            return Err(Misfit);
        }
        explode(i, &orders[first..], lines.of(i), &mut requirements)?;
        let receipts = &rows[(i * ROWS + RECEIPTS) * h..][..h];
        let list = requirements.of(i);
        pegger.peg_item(&items[i], receipts, &orders, first, list, &mut pegs);
        requirements.release(i);
    }
    let messages = action_messages(input, &rows, &orders)?;
    Ok(PlanOutput {
        low_level_codes: codes.to_vec(),
        records: Records {
            buckets: h,
            cells: rows,
        },
        orders,
        demand_hashes,
        pegs,
        messages,
        replanned,
    })
}

/// The input's scheduled receipts into the items' receipt rows.
fn add_scheduled_receipts(input: &PlanInput, rows: &mut [i64]) -> Fit<()> {
    let (n, h) = (input.items.len(), input.buckets);
    for &(i, b, q) in &input.scheduled_receipts {
        if i < n && b < h {
            let cell = &mut rows[(i * ROWS + RECEIPTS) * h + b];
            *cell = add(*cell, micro(q)?)?;
        }
    }
    Ok(())
}

/// The requirements lists with each item's independent demand, in input order.
fn independent_demand(input: &PlanInput) -> Fit<Requirements> {
    let (n, h) = (input.items.len(), input.buckets);
    let mut requirements = Requirements::new(n);
    for (k, &(i, b, q)) in input.independent_demand.iter().enumerate() {
        if i < n && b < h {
            let index = u32::try_from(k).map_err(|_| Misfit)?;
            requirements.push(
                i,
                Element {
                    quantity: micro(q)?,
                    bucket: b as u32,
                    parent: NONE,
                    index,
                },
            );
        }
    }
    Ok(requirements)
}

/// Each parent's BOM lines, in input order, in one array.
struct Lines {
    lines: Vec<Line>,
    /// Parent `i`'s lines are `lines[start[i]..start[i + 1]]`.
    start: Vec<usize>,
}

impl Lines {
    fn new(input: &PlanInput) -> Fit<Lines> {
        let n = input.items.len();
        let mut by_parent: Vec<usize> = (0..input.bom.len()).collect();
        by_parent.sort_by_key(|k| input.bom[*k].parent);
        let lines = by_parent
            .iter()
            .map(|k| {
                let l = &input.bom[*k];
                Ok(Line {
                    child: l.child,
                    per: micro(l.quantity_per)?.into(),
                    kept: i128::from(ONE) - i128::from(micro(l.scrap)?),
                    from: l.effective_from,
                    to: l.effective_to,
                })
            })
            .collect::<Fit<Vec<_>>>()?;
        let mut start = vec![0usize; n + 1];
        for l in &input.bom {
            start[l.parent + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        Ok(Lines { lines, start })
    }

    fn of(&self, parent: usize) -> &[Line] {
        &self.lines[self.start[parent]..self.start[parent + 1]]
    }
}

/// The previous plan's orders, item by item.
fn orders_by_item(p: &PlanOutput, n: usize) -> Vec<Vec<&PlannedOrder>> {
    let mut by_item = vec![Vec::new(); n];
    for o in p.orders.iter().filter(|o| (o.item as usize) < n) {
        by_item[o.item as usize].push(o);
    }
    by_item
}

/// An item's requirements into its gross requirements row (`rec` is its record); the hash of
/// its requirements.
fn add_gross(rec: &mut [i64], h: usize, list: &[Element], input: &PlanInput) -> Fit<u64> {
    let mut hash = StableHash::default();
    for e in list {
        let g = &mut rec[GROSS * h + e.bucket as usize];
        *g = add(*g, e.quantity)?;
        hash_element(&mut hash, input, e);
    }
    Ok(hash.finish())
}

/// Explodes item `i`'s orders (`item_orders`, in their ordinal order) into their components'
/// requirements at each order's release, by the lines in effect then.
fn explode(
    i: usize,
    item_orders: &[PlannedOrder],
    lines: &[Line],
    requirements: &mut Requirements,
) -> Fit<()> {
    for (ordinal, o) in item_orders.iter().enumerate() {
        let b = o.release_bucket as usize;
        for l in lines {
            if l.from.is_none_or(|f| b >= f) && l.to.is_none_or(|e| b <= e) {
                requirements.push(
                    l.child,
                    Element {
                        quantity: l.requirement(o.quantity)?,
                        bucket: b as u32,
                        parent: i as u32,
                        index: u32::try_from(ordinal).map_err(|_| Misfit)?,
                    },
                );
            }
        }
    }
    Ok(())
}

/// One requirement into the item's hash, word for word as `super::demand_hash` does.
fn hash_element(hash: &mut StableHash, input: &PlanInput, e: &Element) {
    hash.word(u64::from(e.bucket));
    hash.micro(e.quantity);
    let index = e.index as usize;
    if e.parent == NONE {
        hash.word(0);
        hash.word(
            input
                .demand_keys
                .get(index)
                .copied()
                .unwrap_or(index as u64),
        );
    } else {
        let parent = e.parent as usize;
        hash.word(1);
        hash.word(
            input
                .item_keys
                .get(parent)
                .copied()
                .unwrap_or(parent as u64),
        );
        hash.word(index as u64);
    }
}

/// The record rows and orders of one item from its gross requirements and receipts (the
/// first two rows of `rec`, filled in).
fn net_item(
    it: &Item,
    index: usize,
    rec: &mut [i64],
    h: usize,
    orders: &mut Vec<PlannedOrder>,
    scratch: &mut Scratch,
) -> Fit<()> {
    let (g, rest) = rec.split_at_mut(h);
    let (sr, rest) = rest.split_at_mut(h);
    let (poh_row, rest) = rest.split_at_mut(h);
    let (net, rest) = rest.split_at_mut(h);
    let (pr, rel) = rest.split_at_mut(h);
    let mut poh = it.on_hand;
    for t in 0..h {
        let available = add(poh, sr[t])?;
        let need = add(g[t], it.safety)?;
        if available < need {
            let shortage = sub(need, available)?;
            // Lot-for-lot shortages from here on, had only this bucket been covered.
            let r = &mut scratch.r;
            r.clear();
            r.push(shortage);
            let mut sim = it.safety;
            let horizon = t.saturating_add(it.rule.look_ahead()).min(h);
            for u in t + 1..horizon {
                let avail_u = add(sim, sr[u])?;
                let short_u = sub(add(g[u], it.safety)?, avail_u)?.max(0);
                r.push(short_u);
                sim = sub(add(avail_u, short_u)?, g[u])?;
            }
            net[t] = shortage;
            order_lots(it, scratch)?;
            for &q in &scratch.lots {
                pr[t] = add(pr[t], q)?;
                let release = t.saturating_sub(it.lead_time);
                rel[release] = add(rel[release], q)?;
                orders.push(PlannedOrder {
                    // Items and buckets are below `NONE`: `plan_fit` checked.
                    item: index as u32,
                    quantity: q,
                    release_bucket: release as u32,
                    due_bucket: t as u32,
                    past_due: t < it.lead_time,
                    phantom: it.phantom,
                });
            }
        }
        poh = sub(add(available, pr[t])?, g[t])?;
        poh_row[t] = poh;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
