//! Pegging and action messages on scaled integers, as the exact engine derives them.

use super::num::*;
use super::{Element, Item, GROSS, ROWS};
use crate::engine::{ActionMessage, MessageKind, Peg, PlanInput, PlannedOrder};

/// Pegging, as the exact engine pegs: each item's supply (on hand, then receipts and
/// planned orders by due bucket) given to its requirements in bucket order. One item at a
/// time, right after it is planned, while its requirements are at hand.
#[derive(Default)]
pub(super) struct Pegger {
    /// The requirements' positions in bucket order, and the counting sort's bucket starts.
    wants: Vec<u32>,
    starts: Vec<usize>,
}

impl Pegger {
    /// Pegs an item's orders (`orders[first..]`, by due bucket) to its requirements `list`;
    /// `receipts` is its scheduled receipts row.
    pub(super) fn peg_item(
        &mut self,
        it: &Item,
        receipts: &[i64],
        orders: &[PlannedOrder],
        first: usize,
        list: &[Element],
        pegs: &mut Vec<Peg>,
    ) {
        if first == orders.len() || list.is_empty() {
            return;
        }
        // The supplies in the order they are given: on hand, then by bucket, receipts
        // before orders in a bucket. `next` walks receipts and orders together.
        let (mut r, mut o) = (0usize, first);
        let mut next = || -> Option<(i64, Option<usize>)> {
            while r < receipts.len() && receipts[r] == 0 {
                r += 1;
            }
            let receipt_first =
                r < receipts.len() && orders.get(o).is_none_or(|ord| r <= ord.due_bucket as usize);
            if receipt_first {
                r += 1;
                Some((receipts[r - 1], None))
            } else if o < orders.len() {
                o += 1;
                Some((orders[o - 1].quantity, Some(o - 1)))
            } else {
                None
            }
        };
        let mut supply = Some((it.on_hand, None));
        let mut give = |d: &Element| {
            let mut need = d.quantity;
            while need > 0 {
                let Some((left, from)) = supply.as_mut() else {
                    return;
                };
                if *left <= 0 {
                    supply = next();
                    continue;
                }
                let take = need.min(*left);
                if let Some(order) = *from {
                    pegs.push(Peg {
                        // `plan_fit` stops below `NONE` orders.
                        order: order as u32,
                        source: d.source(),
                        quantity: take,
                    });
                }
                need -= take;
                *left -= take;
            }
        };
        match self.bucket_order(list, receipts.len()) {
            None => list.iter().for_each(give),
            Some(wants) => wants.iter().for_each(|k| give(&list[*k as usize])),
        }
    }

    /// The positions of `list` by bucket, in the order they arose within a bucket; `None`
    /// when that is the order of `list`.
    fn bucket_order(&mut self, list: &[Element], h: usize) -> Option<&[u32]> {
        if list.is_sorted_by_key(|e| e.bucket) {
            return None;
        }
        // A counting sort on the bucket.
        self.starts.clear();
        self.starts.resize(h + 1, 0);
        for e in list {
            self.starts[e.bucket as usize + 1] += 1;
        }
        for b in 0..h {
            self.starts[b + 1] += self.starts[b];
        }
        self.wants.clear();
        self.wants.resize(list.len(), 0);
        for (k, e) in list.iter().enumerate() {
            let at = &mut self.starts[e.bucket as usize];
            self.wants[*at] = k as u32;
            *at += 1;
        }
        Some(&self.wants)
    }
}

/// The action messages, as the exact engine derives them.
pub(super) fn action_messages(
    input: &PlanInput,
    rows: &[i64],
    orders: &[PlannedOrder],
) -> Fit<Vec<ActionMessage>> {
    let (n, h) = (input.items.len(), input.buckets);
    let mut messages = Vec::new();
    for (k, o) in orders.iter().enumerate() {
        if o.phantom || o.release_bucket != 0 {
            continue;
        }
        messages.push(ActionMessage {
            item: o.item as usize,
            kind: if o.past_due {
                MessageKind::PastDue
            } else {
                MessageKind::Release
            },
            receipt: None,
            order: Some(k),
            bucket: o.release_bucket as usize,
            suggested_bucket: None,
            quantity: o.quantity,
            suggested_quantity: None,
        });
    }
    let mut receipts_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, &(i, b, _)) in input.scheduled_receipts.iter().enumerate() {
        if i < n && b < h {
            receipts_of[i].push(k);
        }
    }
    let mut planned_due: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (k, o) in orders.iter().enumerate() {
        planned_due[o.item as usize].push((o.due_bucket as usize, k));
    }
    let mut cumulative = Vec::with_capacity(h);
    for (i, list) in receipts_of.iter_mut().enumerate() {
        if list.is_empty() || input.items[i].phantom {
            continue;
        }
        list.sort_by_key(|k| (input.scheduled_receipts[*k].1, *k));
        // Cumulative requirement (with the safety stock floor) by the end of each bucket.
        cumulative.clear();
        let mut sum = micro(input.items[i].safety_stock)?;
        for g in &rows[(i * ROWS + GROSS) * h..][..h] {
            sum = add(sum, *g)?;
            cumulative.push(sum);
        }
        let total = cumulative[h - 1];
        let mut supplied = micro(input.items[i].on_hand)?;
        for &k in list.iter() {
            let (_, due, quantity) = input.scheduled_receipts[k];
            let q = micro(quantity)?;
            let quantity = q;
            let needed = cumulative.iter().position(|c| *c > supplied);
            let mut message = |kind, suggested_bucket, suggested_quantity| {
                messages.push(ActionMessage {
                    item: i,
                    kind,
                    receipt: Some(k),
                    order: None,
                    bucket: due,
                    suggested_bucket,
                    quantity,
                    suggested_quantity,
                })
            };
            match needed {
                None => message(MessageKind::Cancel, None, Some(0)),
                Some(b) => {
                    if b < due {
                        message(MessageKind::Expedite, Some(b), None);
                    } else if b > due {
                        message(MessageKind::Defer, Some(b), None);
                    }
                    let useful = sub(total, supplied)?;
                    if useful < q {
                        message(MessageKind::Decrease, None, Some(useful));
                    }
                    for &(pd, order) in &planned_due[i] {
                        if pd == due {
                            let more = add(q, orders[order].quantity)?;
                            message(MessageKind::Increase, None, Some(more));
                        }
                    }
                }
            }
            supplied = add(supplied, q)?;
        }
    }
    Ok(messages)
}
