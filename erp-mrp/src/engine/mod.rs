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
}

#[derive(Debug, Clone)]
pub struct PlanOutput {
    pub low_level_codes: Vec<u32>,
    pub records: Vec<MrpRecord>,
    pub orders: Vec<PlannedOrder>,
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
    let mut r = d.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToPositiveInfinity);
    r.rescale(r.scale().min(6));
    r.normalize()
}

/// A regenerative run over all items.
pub fn plan(input: &PlanInput) -> Result<PlanOutput, PlanError> {
    let n = input.items.len();
    let h = input.buckets;
    if h == 0 {
        return Err(PlanError::Invalid("the horizon has no buckets".into()));
    }
    let codes = low_level_codes(n, &input.bom)?;
    let zero = || vec![Decimal::ZERO; h];
    let mut gross: Vec<Vec<Decimal>> = (0..n).map(|_| zero()).collect();
    let mut receipts: Vec<Vec<Decimal>> = (0..n).map(|_| zero()).collect();
    for &(i, b, q) in &input.independent_demand {
        if i < n && b < h {
            gross[i][b] += q;
        }
    }
    for &(i, b, q) in &input.scheduled_receipts {
        if i < n && b < h {
            receipts[i][b] += q;
        }
    }
    let mut lines_of: Vec<Vec<&BomLine>> = vec![Vec::new(); n];
    for l in &input.bom {
        lines_of[l.parent].push(l);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| (codes[*i], *i));

    let mut records: Vec<Option<MrpRecord>> = vec![None; n];
    let mut orders = Vec::new();
    for i in order {
        let item = &input.items[i];
        let (lead_time, safety, rule) = if item.phantom {
            (0, Decimal::ZERO, LotSizing::LotForLot)
        } else {
            (item.lead_time, item.safety_stock, item.lot_sizing.clone())
        };
        let modifiers = if item.phantom {
            OrderModifiers::default()
        } else {
            item.modifiers.clone()
        };
        let g = &gross[i];
        let sr = &receipts[i];
        let mut rec = MrpRecord {
            gross_requirements: g.clone(),
            scheduled_receipts: sr.clone(),
            projected_on_hand: zero(),
            net_requirements: zero(),
            planned_receipts: zero(),
            planned_releases: zero(),
        };
        let mut poh = item.on_hand;
        // The look-ahead buffer, reused for every shortage of the item.
        let mut r: Vec<Decimal> = Vec::with_capacity(h);
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
                let lots = lot_sizing::order_quantity(&rule, &modifiers, &r);
                rec.net_requirements[t] = shortage;
                for q in lots {
                    rec.planned_receipts[t] += q;
                    let past_due = t < lead_time;
                    let release = t.saturating_sub(lead_time);
                    rec.planned_releases[release] += q;
                    if !item.phantom {
                        orders.push(PlannedOrder {
                            item: i,
                            quantity: q,
                            release_bucket: release,
                            due_bucket: t,
                            past_due,
                        });
                    }
                }
            }
            poh = available + rec.planned_receipts[t] - g[t];
            rec.projected_on_hand[t] = poh;
        }
        // Explode the planned releases into the components' gross requirements.
        for (b, q) in rec.planned_releases.iter().enumerate() {
            if q.is_zero() {
                continue;
            }
            for l in &lines_of[i] {
                let effective = l.effective_from.is_none_or(|f| b >= f)
                    && l.effective_to.is_none_or(|e| b <= e);
                if effective {
                    let yield_share = Decimal::ONE - l.scrap;
                    if yield_share <= Decimal::ZERO {
                        return Err(PlanError::Invalid("a BOM line scraps everything".into()));
                    }
                    gross[l.child][b] += ceil_qty(*q * l.quantity_per / yield_share);
                }
            }
        }
        records[i] = Some(rec);
    }
    Ok(PlanOutput {
        low_level_codes: codes,
        records: records
            .into_iter()
            .map(|r| r.expect("every item is planned"))
            .collect(),
        orders,
    })
}

#[cfg(test)]
mod tests;
