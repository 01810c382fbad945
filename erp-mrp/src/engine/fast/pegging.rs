//! Pegging and action messages on scaled integers, as the exact engine derives them.

use super::num::*;
use super::{Item, Requirements, GROSS, RECEIPTS, ROWS};
use crate::engine::{ActionMessage, MessageKind, Peg, PlanInput, PlannedOrder};

/// Pegging, as the exact engine pegs: each item's supply (on hand, then receipts and planned
/// orders by due bucket) given to its requirements in bucket order.
pub(super) fn peg(
    items: &[Item],
    rows: &[i64],
    h: usize,
    orders: &[PlannedOrder],
    order_range: &[(usize, usize)],
    requirements: &Requirements,
) -> Vec<Peg> {
    let mut pegs = Vec::with_capacity(orders.len() * 2);
    // (bucket, rank, quantity, order): on hand first, receipts before orders in a bucket.
    let mut supplies: Vec<(usize, u8, i64, Option<usize>)> = Vec::new();
    let mut wants: Vec<u32> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let (start, end) = order_range[i];
        if start == end {
            continue;
        }
        supplies.clear();
        supplies.push((0, 0, it.on_hand, None));
        let receipts = &rows[(i * ROWS + RECEIPTS) * h..][..h];
        for (b, q) in receipts.iter().enumerate() {
            if *q != 0 {
                supplies.push((b, 1, *q, None));
            }
        }
        for (k, o) in orders.iter().enumerate().take(end).skip(start) {
            supplies.push((o.due_bucket, 2, o.quantity, Some(k)));
        }
        supplies.sort_by_key(|s| (s.0, s.1));
        // By bucket, in the order they arose within a bucket: a counting sort.
        let list = requirements.of(i);
        starts.clear();
        starts.resize(h + 1, 0);
        for e in list {
            starts[e.bucket as usize + 1] += 1;
        }
        for b in 0..h {
            starts[b + 1] += starts[b];
        }
        wants.clear();
        wants.resize(list.len(), 0);
        for (k, e) in list.iter().enumerate() {
            let at = &mut starts[e.bucket as usize];
            wants[*at] = k as u32;
            *at += 1;
        }
        let mut s = 0;
        let mut left = supplies[0].2;
        for &k in &wants {
            let d = &list[k as usize];
            let mut need = d.quantity;
            while need > 0 && s < supplies.len() {
                if left <= 0 {
                    s += 1;
                    if s < supplies.len() {
                        left = supplies[s].2;
                    }
                    continue;
                }
                let take = need.min(left);
                if let Some(order) = supplies[s].3 {
                    pegs.push(Peg {
                        order,
                        source: d.source(),
                        quantity: take,
                    });
                }
                need -= take;
                left -= take;
            }
        }
    }
    pegs
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
            item: o.item,
            kind: if o.past_due {
                MessageKind::PastDue
            } else {
                MessageKind::Release
            },
            receipt: None,
            order: Some(k),
            bucket: o.release_bucket,
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
        planned_due[o.item].push((o.due_bucket, k));
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
