//! The MRP engine: plain data in, plain data out, no database. Textbook conventions
//! (Orlicky): scheduled and planned receipts arrive at the start of their bucket, projected
//! on hand is the end of the bucket, safety stock is a floor the projection must not fall
//! below, and a release that would fall before the first bucket is planned in bucket 0 and
//! flagged past due.

pub mod lot_sizing;

use rust_decimal::Decimal;

pub use lot_sizing::{LotSizing, OrderModifiers};

/// An item as the planner sees it. Indices into [`PlanInput::items`] identify items.
#[derive(Debug, Clone)]
pub struct PlanItem {
    /// In buckets.
    pub lead_time: usize,
    pub safety_stock: Decimal,
    pub on_hand: Decimal,
    pub lot_sizing: LotSizing,
    pub modifiers: OrderModifiers,
    /// A phantom (kit) is never ordered: its requirements pass straight to its components.
    pub phantom: bool,
}

impl Default for PlanItem {
    fn default() -> Self {
        PlanItem {
            lead_time: 0,
            safety_stock: Decimal::ZERO,
            on_hand: Decimal::ZERO,
            lot_sizing: LotSizing::LotForLot,
            modifiers: OrderModifiers::default(),
            phantom: false,
        }
    }
}

/// `quantity_per` of `child` for each unit of `parent`.
#[derive(Debug, Clone)]
pub struct BomLine {
    pub parent: usize,
    pub child: usize,
    pub quantity_per: Decimal,
    /// Share lost in production (0.05 = 5%): the requirement is divided by (1 - scrap).
    pub scrap: Decimal,
    /// The line applies to parent releases in these buckets (effectivity).
    pub effective_from: Option<usize>,
    pub effective_to: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub buckets: usize,
    pub items: Vec<PlanItem>,
    pub bom: Vec<BomLine>,
    /// (item, bucket, quantity): MPS, forecasts, sales orders.
    pub independent_demand: Vec<(usize, usize, Decimal)>,
    /// (item, bucket, quantity): open purchase and production orders, firm planned orders.
    pub scheduled_receipts: Vec<(usize, usize, Decimal)>,
    /// Keys that name items and independent demands the same way from one run to the next
    /// (their indices may shift); empty: the indices are the keys. Net change compares the
    /// requirements of an item through them.
    pub item_keys: Vec<u64>,
    pub demand_keys: Vec<u64>,
}

/// The six rows a planner reads, per bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct MrpRecord {
    pub gross_requirements: Vec<Decimal>,
    pub scheduled_receipts: Vec<Decimal>,
    pub projected_on_hand: Vec<Decimal>,
    pub net_requirements: Vec<Decimal>,
    pub planned_receipts: Vec<Decimal>,
    pub planned_releases: Vec<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedOrder {
    pub item: usize,
    pub quantity: Decimal,
    pub release_bucket: usize,
    pub due_bucket: usize,
    /// Its release should have happened before the first bucket.
    pub past_due: bool,
    /// A phantom's pass-through: never ordered, kept so pegging can walk through it.
    pub phantom: bool,
}

/// Where a requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `PlanInput::independent_demand[i]`.
    Independent(usize),
    /// The `ordinal`-th planned order of `item` (in bucket order), exploded.
    Order { item: usize, ordinal: usize },
}

/// One requirement of an item: what the gross requirements row is the sum of.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandElement {
    pub bucket: usize,
    pub quantity: Decimal,
    pub source: Source,
}

/// `quantity` of planned order `order` (an index into [`PlanOutput::orders`]) serves `source`.
#[derive(Debug, Clone, PartialEq)]
pub struct Peg {
    pub order: usize,
    pub source: Source,
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A planned order whose release date is in the first bucket: release it now.
    Release,
    /// A planned order whose release is already late: the lead time is compressed.
    PastDue,
    /// An existing receipt is needed earlier than it is due.
    Expedite,
    /// An existing receipt is needed later than it is due.
    Defer,
    /// An existing receipt is not needed within the horizon.
    Cancel,
    /// The plan adds an order where an existing receipt arrives: enlarge the receipt instead.
    Increase,
    /// Part of an existing receipt is not needed within the horizon.
    Decrease,
}

/// What the planner should do about existing supply or a planned order.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionMessage {
    pub item: usize,
    pub kind: MessageKind,
    /// `PlanInput::scheduled_receipts[i]`, for messages about existing supply.
    pub receipt: Option<usize>,
    /// `PlanOutput::orders[i]`, for messages about planned orders.
    pub order: Option<usize>,
    /// The receipt's or order's bucket now (due bucket; release bucket for release messages).
    pub bucket: usize,
    pub suggested_bucket: Option<usize>,
    pub quantity: Decimal,
    pub suggested_quantity: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct PlanOutput {
    pub low_level_codes: Vec<u32>,
    pub records: Vec<MrpRecord>,
    /// Grouped by item in planning order, each item's in bucket order.
    pub orders: Vec<PlannedOrder>,
    /// Per item, the requirements its gross requirements add up from.
    pub demands: Vec<Vec<DemandElement>>,
    /// Per item, a hash of its requirements through the stable keys: equal hashes, equal
    /// requirements. What a net-change run needs of the previous plan besides records and
    /// orders.
    pub demand_hashes: Vec<u64>,
    pub pegs: Vec<Peg>,
    pub messages: Vec<ActionMessage>,
    /// Per item: planned in this run (true), or taken unchanged from the previous plan.
    pub replanned: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the bills of materials form a cycle through items {0:?}")]
    Cycle(Vec<usize>),
    #[error("{0}")]
    Invalid(String),
}

/// Low-level codes: 0 for items no BOM uses, else one more than the lowest-placed parent,
/// so that every item is netted once, after all its parents.
pub fn low_level_codes(items: usize, bom: &[BomLine]) -> Result<Vec<u32>, PlanError> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items];
    let mut parents_left = vec![0usize; items];
    for l in bom {
        if l.parent >= items || l.child >= items {
            return Err(PlanError::Invalid(
                "a BOM line names an unknown item".into(),
            ));
        }
        children[l.parent].push(l.child);
        parents_left[l.child] += 1;
    }
    let mut code = vec![0u32; items];
    let mut ready: Vec<usize> = (0..items).filter(|i| parents_left[*i] == 0).collect();
    let mut done = 0;
    while let Some(p) = ready.pop() {
        done += 1;
        for &c in &children[p] {
            code[c] = code[c].max(code[p] + 1);
            parents_left[c] -= 1;
            if parents_left[c] == 0 {
                ready.push(c);
            }
        }
    }
    if done < items {
        return Err(PlanError::Cycle(find_cycle(&children, &parents_left)));
    }
    Ok(code)
}

/// A cycle among the items Kahn's algorithm could not finish, for the error message.
fn find_cycle(children: &[Vec<usize>], parents_left: &[usize]) -> Vec<usize> {
    let Some(start) = (0..children.len()).find(|i| parents_left[*i] > 0) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen = vec![false; children.len()];
    seen[start] = true;
    let mut at = start;
    loop {
        let Some(&next) = children[at].iter().find(|c| parents_left[**c] > 0) else {
            return path;
        };
        if let Some(pos) = path.iter().position(|p| *p == next) {
            return path[pos..].to_vec();
        }
        if seen[next] {
            return path;
        }
        seen[next] = true;
        path.push(next);
        at = next;
    }
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

/// A regenerative run over all items.
pub fn plan(input: &PlanInput) -> Result<PlanOutput, PlanError> {
    plan_with(input, None)
}

/// A net-change run: items not in `changed` whose requirements are the same as in `previous`
/// keep their previous record and orders; the rest are planned again. The answer is the one
/// [`plan`] gives, at the cost of only the items that changed.
pub fn plan_net_change(
    input: &PlanInput,
    previous: &PlanOutput,
    changed: &[bool],
) -> Result<PlanOutput, PlanError> {
    let n = input.items.len();
    let usable = previous.records.len() == n
        && previous.demand_hashes.len() == n
        && changed.len() == n
        && previous
            .records
            .first()
            .is_none_or(|r| r.gross_requirements.len() == input.buckets);
    if !usable {
        return plan(input);
    }
    plan_with(input, Some((previous, changed)))
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
                orders.push(PlannedOrder {
                    item: index,
                    quantity: q,
                    release_bucket: release,
                    due_bucket: t,
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

fn plan_with(
    input: &PlanInput,
    previous: Option<(&PlanOutput, &[bool])>,
) -> Result<PlanOutput, PlanError> {
    let n = input.items.len();
    let h = input.buckets;
    if h == 0 {
        return Err(PlanError::Invalid("the horizon has no buckets".into()));
    }
    let codes = low_level_codes(n, &input.bom)?;
    for l in &input.bom {
        if Decimal::ONE - l.scrap <= Decimal::ZERO {
            return Err(PlanError::Invalid("a BOM line scraps everything".into()));
        }
    }
    let mut demands: Vec<Vec<DemandElement>> = vec![Vec::new(); n];
    for (k, &(i, b, q)) in input.independent_demand.iter().enumerate() {
        if i < n && b < h {
            demands[i].push(DemandElement {
                bucket: b,
                quantity: q,
                source: Source::Independent(k),
            });
        }
    }
    let mut receipts: Vec<Vec<Decimal>> = vec![Vec::new(); n];
    for &(i, b, q) in &input.scheduled_receipts {
        if i < n && b < h {
            if receipts[i].is_empty() {
                receipts[i] = vec![Decimal::ZERO; h];
            }
            receipts[i][b] += q;
        }
    }
    let mut lines_of: Vec<Vec<&BomLine>> = vec![Vec::new(); n];
    for l in &input.bom {
        lines_of[l.parent].push(l);
    }
    let mut sequence: Vec<usize> = (0..n).collect();
    sequence.sort_by_key(|i| (codes[*i], *i));

    let previous_orders: Vec<Vec<&PlannedOrder>> = match previous {
        Some((p, _)) => {
            let mut by_item = vec![Vec::new(); n];
            for o in &p.orders {
                if o.item < n {
                    by_item[o.item].push(o);
                }
            }
            by_item
        }
        None => Vec::new(),
    };
    let mut records: Vec<Option<MrpRecord>> = vec![None; n];
    let mut orders: Vec<PlannedOrder> = Vec::new();
    let mut replanned = vec![true; n];
    let mut demand_hashes = vec![0u64; n];
    for i in sequence {
        let hash = demand_hash(input, &demands[i]);
        demand_hashes[i] = hash;
        let reuse = previous.is_some_and(|(p, changed)| !changed[i] && p.demand_hashes[i] == hash);
        let first = orders.len();
        if reuse {
            let (p, _) = previous.expect("checked");
            records[i] = Some(p.records[i].clone());
            orders.extend(previous_orders[i].iter().map(|o| (*o).clone()));
            replanned[i] = false;
        } else {
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
        // Explode each order into its components' requirements at its release.
        for ordinal in 0..orders.len() - first {
            let (b, q) = {
                let o = &orders[first + ordinal];
                (o.release_bucket, o.quantity)
            };
            for l in &lines_of[i] {
                let effective = l.effective_from.is_none_or(|f| b >= f)
                    && l.effective_to.is_none_or(|e| b <= e);
                if effective {
                    demands[l.child].push(DemandElement {
                        bucket: b,
                        quantity: component_requirement(q, l),
                        source: Source::Order { item: i, ordinal },
                    });
                }
            }
        }
    }
    let records: Vec<MrpRecord> = records
        .into_iter()
        .map(|r| r.expect("every item is planned"))
        .collect();
    let pegs = peg(input, &records, &orders, &demands);
    let messages = action_messages(input, &records, &orders);
    Ok(PlanOutput {
        low_level_codes: codes,
        records,
        orders,
        demands,
        demand_hashes,
        pegs,
        messages,
        replanned,
    })
}

/// A hash of an item's requirements in terms that stay the same between runs.
fn demand_hash(input: &PlanInput, demands: &[DemandElement]) -> u64 {
    let item_key = |i: usize| input.item_keys.get(i).copied().unwrap_or(i as u64);
    let mut h = StableHash::default();
    for d in demands {
        h.word(d.bucket as u64);
        h.decimal(d.quantity);
        match d.source {
            Source::Independent(k) => {
                h.word(0);
                h.word(input.demand_keys.get(k).copied().unwrap_or(k as u64));
            }
            Source::Order { item, ordinal } => {
                h.word(1);
                h.word(item_key(item));
                h.word(ordinal as u64);
            }
        }
    }
    h.finish()
}

/// FNV-1a over 64-bit words with a final mix. Stored plans keep these hashes, so unlike
/// `DefaultHasher` it must give the same value in every build of the server. Each step is a
/// bijection of the state, so two sequences that differ in one word never collide.
struct StableHash(u64);

impl Default for StableHash {
    fn default() -> Self {
        StableHash(0xcbf2_9ce4_8422_2325)
    }
}

impl StableHash {
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(0x0000_0100_0000_01b3);
    }

    /// Equal values hash alike whatever their scale (2.50 and 2.5).
    fn decimal(&mut self, d: Decimal) {
        let b = d.normalize().serialize();
        let (lo, hi) = b.split_at(8);
        self.word(u64::from_le_bytes(lo.try_into().expect("8 bytes")));
        self.word(u64::from_le_bytes(hi.try_into().expect("8 bytes")));
    }

    fn finish(&self) -> u64 {
        // splitmix64's finalizer.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Pegging: each item's supply (on hand, then receipts and planned orders by due bucket)
/// is given to its requirements in bucket order; what planned orders give is recorded.
fn peg(
    input: &PlanInput,
    records: &[MrpRecord],
    orders: &[PlannedOrder],
    demands: &[Vec<DemandElement>],
) -> Vec<Peg> {
    let n = records.len();
    let mut orders_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, o) in orders.iter().enumerate() {
        orders_of[o.item].push(k);
    }
    let mut pegs = Vec::new();
    // Reused for every item.
    let mut supplies: Vec<(usize, u8, Decimal, Option<usize>)> = Vec::new();
    let mut wants: Vec<&DemandElement> = Vec::new();
    for i in 0..n {
        if orders_of[i].is_empty() {
            continue;
        }
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
            supplies.push((orders[k].due_bucket, 2, orders[k].quantity, Some(k)));
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
                        order,
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
    let mut receipts_of: Vec<Vec<usize>> = vec![Vec::new(); records.len()];
    for (k, &(i, b, _)) in input.scheduled_receipts.iter().enumerate() {
        if i < records.len() && b < h {
            receipts_of[i].push(k);
        }
    }
    let mut planned_due: Vec<Vec<(usize, usize)>> = vec![Vec::new(); records.len()];
    for (k, o) in orders.iter().enumerate() {
        planned_due[o.item].push((o.due_bucket, k));
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

#[cfg(test)]
mod tests;
