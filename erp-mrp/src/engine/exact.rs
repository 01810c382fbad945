//! The engine on `Decimal`: exact for any number the input holds. It plans when the
//! scaled-integer engine ([`super::fast`]) cannot: a quantity with more than six decimals,
//! or a number too large for it. The two give the same plans (a property test checks it).

use rust_decimal::Decimal;

use super::*;

/// The six rows of an item's record, as this engine computes them.
#[derive(Debug, Clone)]
struct MrpRecord {
    gross_requirements: Vec<Decimal>,
    scheduled_receipts: Vec<Decimal>,
    projected_on_hand: Vec<Decimal>,
    net_requirements: Vec<Decimal>,
    planned_receipts: Vec<Decimal>,
    planned_releases: Vec<Decimal>,
}

type PlannedOrder = super::PlannedOrder<Decimal>;
type Peg = super::Peg<Decimal>;
type ActionMessage = super::ActionMessage<Decimal>;

/// A plan's millionths as a decimal.
fn from_micro(v: Micro) -> Decimal {
    Decimal::new(v, 6)
}

/// A decimal of the plan in millionths (rounded up to them, as requirements are).
fn to_micro(d: Decimal) -> Result<Micro, PlanError> {
    let m = ceil_qty(d);
    m.mantissa()
        .checked_mul(10i128.pow(6 - m.scale()))
        .and_then(|v| i64::try_from(v).ok())
        .ok_or_else(|| {
            PlanError::Invalid(format!(
                "a quantity of the plan ({m}) is larger than the 9,223,372,036,854 units it can hold"
            ))
        })
}

/// Rounds a requirement up to the 6 places quantities keep.
fn ceil_qty(d: Decimal) -> Decimal {
    if d.scale() <= 6 {
        return d.normalize();
    }
    let mut r = d.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToPositiveInfinity);
    r.rescale(r.scale().min(6));
    r.normalize()
}

/// What a parent order of `q` needs of the line's component: `q * quantity_per / (1 - scrap)`,
/// rounded up to 6 places. Without scrap there is nothing to divide by.
fn component_requirement(q: Decimal, l: &BomLine) -> Decimal {
    let per = q * l.quantity_per;
    if l.scrap.is_zero() {
        ceil_qty(per)
    } else {
        ceil_qty(per / (Decimal::ONE - l.scrap))
    }
}

/// The record and orders of one item from its requirements.
fn net_item(
    item: &PlanItem,
    index: usize,
    gross: Vec<Decimal>,
    receipts: Vec<Decimal>,
) -> (MrpRecord, Vec<PlannedOrder>) {
    let h = gross.len();
    let (lead_time, safety, rule, modifiers) = if item.phantom {
        (
            0,
            Decimal::ZERO,
            LotSizing::LotForLot,
            OrderModifiers::default(),
        )
    } else {
        (
            item.lead_time,
            item.safety_stock,
            item.lot_sizing.clone(),
            item.modifiers.clone(),
        )
    };
    let zero = || vec![Decimal::ZERO; h];
    let mut rec = MrpRecord {
        gross_requirements: gross,
        scheduled_receipts: receipts,
        projected_on_hand: zero(),
        net_requirements: zero(),
        planned_receipts: zero(),
        planned_releases: zero(),
    };
    let mut orders = Vec::new();
    let (g, sr) = (&rec.gross_requirements, &rec.scheduled_receipts);
    let mut poh = item.on_hand;
    // The look-ahead and lot buffers, reused for every shortage of the item.
    let mut r: Vec<Decimal> = Vec::with_capacity(h);
    let mut lots: Vec<Decimal> = Vec::new();
    for t in 0..h {
        let available = poh + sr[t];
        let need = g[t] + safety;
        if available < need {
            let shortage = need - available;
            // Lot-for-lot shortages from here on, had only this bucket been covered.
            r.clear();
            r.push(shortage);
            let mut sim = safety;
            let horizon = t.saturating_add(rule.look_ahead()).min(h);
            for u in t + 1..horizon {
                let avail_u = sim + sr[u];
                let short_u = (g[u] + safety - avail_u).max(Decimal::ZERO);
                r.push(short_u);
                sim = avail_u + short_u - g[u];
            }
            rec.net_requirements[t] = shortage;
            lot_sizing::order_lots(&rule, &modifiers, &r, &mut lots);
            for &q in &lots {
                rec.planned_receipts[t] += q;
                let release = t.saturating_sub(lead_time);
                rec.planned_releases[release] += q;
                // Items and buckets fit `u32`: `super::plan_with` checked.
                orders.push(PlannedOrder {
                    item: index as u32,
                    quantity: q,
                    release_bucket: release as u32,
                    due_bucket: t as u32,
                    past_due: t < lead_time,
                    phantom: item.phantom,
                });
            }
        }
        poh = available + rec.planned_receipts[t] - g[t];
        rec.projected_on_hand[t] = poh;
    }
    (rec, orders)
}

/// Plans `input` (checked, with its low-level codes) over all items, or over the changed
/// ones of a net-change run.
pub(super) fn plan(
    input: &PlanInput,
    codes: Vec<u32>,
    previous: Option<(&PlanOutput, &[bool])>,
) -> Result<PlanOutput, PlanError> {
    let n = input.items.len();
    let h = input.buckets;
    let mut demands = independent_demand(input);
    let mut receipts = scheduled_receipts(input);
    let mut lines_of: Vec<Vec<&BomLine>> = vec![Vec::new(); n];
    for l in &input.bom {
        lines_of[l.parent].push(l);
    }
    let mut sequence: Vec<usize> = (0..n).collect();
    sequence.sort_by_key(|i| (codes[*i], *i));
    let previous_orders = previous.map_or_else(Vec::new, |(p, _)| orders_by_item(p, n));
    let mut records: Vec<Option<MrpRecord>> = vec![None; n];
    let mut orders: Vec<PlannedOrder> = Vec::new();
    let mut replanned = vec![true; n];
    let mut demand_hashes = vec![0u64; n];
    for i in sequence {
        let hash = demand_hash(input, &demands[i]);
        demand_hashes[i] = hash;
        let first = orders.len();
        match previous {
            Some((p, changed)) if !changed[i] && p.demand_hashes[i] == hash => {
                records[i] = Some(kept_record(p, i));
                orders.extend(previous_orders[i].iter().cloned());
                replanned[i] = false;
            }
            _ => {
                let mut gross = vec![Decimal::ZERO; h];
                for d in &demands[i] {
                    gross[d.bucket] += d.quantity;
                }
                let sr = if receipts[i].is_empty() {
                    vec![Decimal::ZERO; h]
                } else {
                    std::mem::take(&mut receipts[i])
                };
                let (rec, item_orders) = net_item(&input.items[i], i, gross, sr);
                records[i] = Some(rec);
                orders.extend(item_orders);
            }
        }
        if orders.len() > u32::MAX as usize {
            return Err(PlanError::Invalid(format!(
                "the plan has more than {} planned orders",
                u32::MAX
            )));
        }
        explode(i, &orders[first..], &lines_of[i], &mut demands);
    }
    let records: Vec<MrpRecord> = records
        .into_iter()
        .map(|r| r.expect("every item is planned"))
        .collect();
    let pegs = peg(input, &records, &orders, &demands);
    let messages = action_messages(input, &records, &orders);
    Ok(PlanOutput {
        low_level_codes: codes,
        records: records_in_micro(&records, n, h)?,
        orders: orders
            .into_iter()
            .map(|o| o.try_map(to_micro))
            .collect::<Result<_, PlanError>>()?,
        demand_hashes,
        pegs: pegs
            .into_iter()
            .map(|p| p.try_map(to_micro))
            .collect::<Result<_, PlanError>>()?,
        messages: messages
            .into_iter()
            .map(|m| m.try_map(to_micro))
            .collect::<Result<_, PlanError>>()?,
        replanned,
    })
}

/// Each item's independent demand, by the element's place in the input.
fn independent_demand(input: &PlanInput) -> Vec<Vec<DemandElement>> {
    let (n, h) = (input.items.len(), input.buckets);
    let mut demands: Vec<Vec<DemandElement>> = vec![Vec::new(); n];
    for (k, &(i, b, q)) in input.independent_demand.iter().enumerate() {
        if i < n && b < h {
            demands[i].push(DemandElement {
                bucket: b,
                quantity: q,
                source: Source::Independent(k as u32),
            });
        }
    }
    demands
}

/// Each item's scheduled receipts per bucket; empty for an item without any.
fn scheduled_receipts(input: &PlanInput) -> Vec<Vec<Decimal>> {
    let (n, h) = (input.items.len(), input.buckets);
    let mut receipts: Vec<Vec<Decimal>> = vec![Vec::new(); n];
    for &(i, b, q) in &input.scheduled_receipts {
        if i < n && b < h {
            if receipts[i].is_empty() {
                receipts[i] = vec![Decimal::ZERO; h];
            }
            receipts[i][b] += q;
        }
    }
    receipts
}

/// The previous plan's orders, item by item, as decimals.
fn orders_by_item(p: &PlanOutput, n: usize) -> Vec<Vec<PlannedOrder>> {
    let mut by_item = vec![Vec::new(); n];
    for o in p.orders.iter().filter(|o| (o.item as usize) < n) {
        by_item[o.item as usize].push(o.map(from_micro));
    }
    by_item
}

/// Item `i`'s record in the previous plan, as decimals.
fn kept_record(p: &PlanOutput, i: usize) -> MrpRecord {
    let r = p.records.get(i);
    let row = |cells: &[Micro]| cells.iter().map(|v| from_micro(*v)).collect();
    MrpRecord {
        gross_requirements: row(r.gross_requirements),
        scheduled_receipts: row(r.scheduled_receipts),
        projected_on_hand: row(r.projected_on_hand),
        net_requirements: row(r.net_requirements),
        planned_receipts: row(r.planned_receipts),
        planned_releases: row(r.planned_releases),
    }
}

/// Explodes item `i`'s orders (`item_orders`, in their ordinal order) into their components'
/// requirements at each order's release, by the lines in effect then.
fn explode(
    i: usize,
    item_orders: &[PlannedOrder],
    lines: &[&BomLine],
    demands: &mut [Vec<DemandElement>],
) {
    for (ordinal, o) in item_orders.iter().enumerate() {
        let b = o.release_bucket as usize;
        for l in lines {
            let effective =
                l.effective_from.is_none_or(|f| b >= f) && l.effective_to.is_none_or(|e| b <= e);
            if effective {
                demands[l.child].push(DemandElement {
                    bucket: b,
                    quantity: component_requirement(o.quantity, l),
                    source: Source::Order {
                        item: i as u32,
                        ordinal: ordinal as u32,
                    },
                });
            }
        }
    }
}

/// The records in millionths, as the fast engine answers.
fn records_in_micro(records: &[MrpRecord], n: usize, h: usize) -> Result<Records, PlanError> {
    let mut cells = Records::zeros(n, h);
    for (i, r) in records.iter().enumerate() {
        let rows = [
            &r.gross_requirements,
            &r.scheduled_receipts,
            &r.projected_on_hand,
            &r.net_requirements,
            &r.planned_receipts,
            &r.planned_releases,
        ];
        let out = cells.cells_of_mut(i);
        for (cell, v) in out.iter_mut().zip(rows.into_iter().flatten()) {
            *cell = to_micro(*v)?;
        }
    }
    Ok(cells)
}

/// Pegging: each item's supply (on hand, then receipts and planned orders by due bucket)
/// is given to its requirements in bucket order; what planned orders give is recorded,
/// item by item in planning order (the order of `orders`).
fn peg(
    input: &PlanInput,
    records: &[MrpRecord],
    orders: &[PlannedOrder],
    demands: &[Vec<DemandElement>],
) -> Vec<Peg> {
    let n = records.len();
    let mut orders_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    // Items in planning order, as their orders are grouped.
    let mut sequence = Vec::new();
    for (k, o) in orders.iter().enumerate() {
        let i = o.item as usize;
        if orders_of[i].is_empty() {
            sequence.push(i);
        }
        orders_of[i].push(k);
    }
    let mut pegs = Vec::new();
    // Reused for every item.
    let mut supplies: Vec<(usize, u8, Decimal, Option<usize>)> = Vec::new();
    let mut wants: Vec<&DemandElement> = Vec::new();
    for i in sequence {
        // Supplies: (bucket, quantity, planned order); on hand first, receipts before
        // planned orders of the same bucket.
        supplies.clear();
        supplies.push((0, 0, input.items[i].on_hand, None));
        for (b, q) in records[i].scheduled_receipts.iter().enumerate() {
            if !q.is_zero() {
                supplies.push((b, 1, *q, None));
            }
        }
        for &k in &orders_of[i] {
            supplies.push((
                orders[k].due_bucket as usize,
                2,
                orders[k].quantity,
                Some(k),
            ));
        }
        supplies.sort_by_key(|s| (s.0, s.1));
        wants.clear();
        wants.extend(demands[i].iter());
        wants.sort_by_key(|d| d.bucket);
        let mut s = 0;
        let mut left = supplies[0].2;
        for d in wants.iter() {
            let mut need = d.quantity;
            while need > Decimal::ZERO && s < supplies.len() {
                if left <= Decimal::ZERO {
                    s += 1;
                    if s < supplies.len() {
                        left = supplies[s].2;
                    }
                    continue;
                }
                let take = need.min(left);
                if let Some(order) = supplies[s].3 {
                    pegs.push(Peg {
                        // `plan` stopped at `u32::MAX` orders.
                        order: order as u32,
                        source: d.source,
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

/// Release and past-due messages for planned orders; expedite, defer, cancel, increase and
/// decrease for existing supply, from when each receipt is first needed.
fn action_messages(
    input: &PlanInput,
    records: &[MrpRecord],
    orders: &[PlannedOrder],
) -> Vec<ActionMessage> {
    let h = input.buckets;
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
    let mut receipts_of: Vec<Vec<usize>> = vec![Vec::new(); records.len()];
    for (k, &(i, b, _)) in input.scheduled_receipts.iter().enumerate() {
        if i < records.len() && b < h {
            receipts_of[i].push(k);
        }
    }
    let mut planned_due: Vec<Vec<(usize, usize)>> = vec![Vec::new(); records.len()];
    for (k, o) in orders.iter().enumerate() {
        planned_due[o.item as usize].push((o.due_bucket as usize, k));
    }
    for (i, list) in receipts_of.iter_mut().enumerate() {
        if list.is_empty() || input.items[i].phantom {
            continue;
        }
        list.sort_by_key(|k| (input.scheduled_receipts[*k].1, *k));
        // Cumulative requirement (with the safety stock floor) by the end of each bucket.
        let mut cumulative = Vec::with_capacity(h);
        let mut sum = input.items[i].safety_stock;
        for g in &records[i].gross_requirements {
            sum += g;
            cumulative.push(sum);
        }
        let total = cumulative[h - 1];
        let mut supplied = input.items[i].on_hand;
        for &k in list.iter() {
            let (_, due, q) = input.scheduled_receipts[k];
            let needed = cumulative.iter().position(|c| *c > supplied);
            let mut message = |kind, suggested_bucket, suggested_quantity| {
                messages.push(ActionMessage {
                    item: i,
                    kind,
                    receipt: Some(k),
                    order: None,
                    bucket: due,
                    suggested_bucket,
                    quantity: q,
                    suggested_quantity,
                })
            };
            match needed {
                None => message(MessageKind::Cancel, None, Some(Decimal::ZERO)),
                Some(b) => {
                    if b < due {
                        message(MessageKind::Expedite, Some(b), None);
                    } else if b > due {
                        message(MessageKind::Defer, Some(b), None);
                    }
                    let useful = total - supplied;
                    if useful < q {
                        message(MessageKind::Decrease, None, Some(useful));
                    }
                    for &(pd, order) in &planned_due[i] {
                        if pd == due {
                            message(
                                MessageKind::Increase,
                                None,
                                Some(q + orders[order].quantity),
                            );
                        }
                    }
                }
            }
            supplied += q;
        }
    }
    messages
}
