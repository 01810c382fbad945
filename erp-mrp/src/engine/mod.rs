//! The MRP engine: plain data in, plain data out, no database. Textbook conventions
//! (Orlicky): scheduled and planned receipts arrive at the start of their bucket, projected
//! on hand is the end of the bucket, safety stock is a floor the projection must not fall
//! below, and a release that would fall before the first bucket is planned in bucket 0 and
//! flagged past due.

mod exact;
mod fast;
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

/// A quantity in the plan, in millionths of a unit: the six places quantities keep, as the
/// database stores them (1.5 units is 1_500_000).
pub type Micro = i64;

/// The six rows a planner reads, per bucket, in millionths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MrpRecord<'a> {
    pub gross_requirements: &'a [Micro],
    pub scheduled_receipts: &'a [Micro],
    pub projected_on_hand: &'a [Micro],
    pub net_requirements: &'a [Micro],
    pub planned_receipts: &'a [Micro],
    pub planned_releases: &'a [Micro],
}

/// Every item's record in one array: item `i`'s six rows of `buckets` cells, in the order
/// of [`MrpRecord`]'s fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    pub buckets: usize,
    pub cells: Vec<Micro>,
}

impl Records {
    /// Six rows per record.
    pub const ROWS: usize = 6;

    pub fn zeros(items: usize, buckets: usize) -> Self {
        Records {
            buckets,
            cells: vec![0; items * Self::ROWS * buckets],
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len() / (Self::ROWS * self.buckets).max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Item `i`'s six rows, one after the other.
    pub fn cells_of(&self, i: usize) -> &[Micro] {
        let w = Self::ROWS * self.buckets;
        &self.cells[i * w..(i + 1) * w]
    }

    pub fn cells_of_mut(&mut self, i: usize) -> &mut [Micro] {
        let w = Self::ROWS * self.buckets;
        &mut self.cells[i * w..(i + 1) * w]
    }

    pub fn get(&self, i: usize) -> MrpRecord<'_> {
        let mut rows = self.cells_of(i).chunks_exact(self.buckets.max(1));
        let mut next = || rows.next().unwrap_or(&[]);
        MrpRecord {
            gross_requirements: next(),
            scheduled_receipts: next(),
            projected_on_hand: next(),
            net_requirements: next(),
            planned_receipts: next(),
            planned_releases: next(),
        }
    }
}

/// A planned order; quantities in millionths unless the engine on `Decimal` is computing.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedOrder<Q = Micro> {
    pub item: u32,
    pub quantity: Q,
    pub release_bucket: u32,
    pub due_bucket: u32,
    /// Its release should have happened before the first bucket.
    pub past_due: bool,
    /// A phantom's pass-through: never ordered, kept so pegging can walk through it.
    pub phantom: bool,
}

/// Where a requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `PlanInput::independent_demand[i]`.
    Independent(u32),
    /// The `ordinal`-th planned order of `item` (in bucket order), exploded.
    Order { item: u32, ordinal: u32 },
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
pub struct Peg<Q = Micro> {
    pub order: u32,
    pub source: Source,
    pub quantity: Q,
}

// The engine's results with their quantities in other terms: the exact engine plans in
// `Decimal` and answers in millionths.
impl<Q: Copy> PlannedOrder<Q> {
    /// The same order with its quantity in other terms.
    fn map<R>(&self, f: impl FnOnce(Q) -> R) -> PlannedOrder<R> {
        PlannedOrder {
            item: self.item,
            quantity: f(self.quantity),
            release_bucket: self.release_bucket,
            due_bucket: self.due_bucket,
            past_due: self.past_due,
            phantom: self.phantom,
        }
    }

    fn try_map<R, E>(self, f: impl FnOnce(Q) -> Result<R, E>) -> Result<PlannedOrder<R>, E> {
        Ok(PlannedOrder {
            item: self.item,
            quantity: f(self.quantity)?,
            release_bucket: self.release_bucket,
            due_bucket: self.due_bucket,
            past_due: self.past_due,
            phantom: self.phantom,
        })
    }
}

impl<Q> Peg<Q> {
    fn try_map<R, E>(self, f: impl FnOnce(Q) -> Result<R, E>) -> Result<Peg<R>, E> {
        Ok(Peg {
            order: self.order,
            source: self.source,
            quantity: f(self.quantity)?,
        })
    }
}

impl<Q> ActionMessage<Q> {
    fn try_map<R, E>(self, f: impl Fn(Q) -> Result<R, E>) -> Result<ActionMessage<R>, E> {
        Ok(ActionMessage {
            item: self.item,
            kind: self.kind,
            receipt: self.receipt,
            order: self.order,
            bucket: self.bucket,
            suggested_bucket: self.suggested_bucket,
            quantity: f(self.quantity)?,
            suggested_quantity: self.suggested_quantity.map(&f).transpose()?,
        })
    }
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
pub struct ActionMessage<Q = Micro> {
    pub item: usize,
    pub kind: MessageKind,
    /// `PlanInput::scheduled_receipts[i]`, for messages about existing supply.
    pub receipt: Option<usize>,
    /// `PlanOutput::orders[i]`, for messages about planned orders.
    pub order: Option<usize>,
    /// The receipt's or order's bucket now (due bucket; release bucket for release messages).
    pub bucket: usize,
    pub suggested_bucket: Option<usize>,
    pub quantity: Q,
    pub suggested_quantity: Option<Q>,
}

#[derive(Debug, Clone)]
pub struct PlanOutput {
    pub low_level_codes: Vec<u32>,
    pub records: Records,
    /// Grouped by item in planning order, each item's in bucket order.
    pub orders: Vec<PlannedOrder>,
    /// Per item, a hash of its requirements through the stable keys: equal hashes, equal
    /// requirements. What a net-change run needs of the previous plan besides records and
    /// orders.
    pub demand_hashes: Vec<u64>,
    /// Grouped by the item of their order, in the order of [`Self::orders`].
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
        && previous.records.buckets == input.buckets;
    if !usable {
        return plan(input);
    }
    plan_with(input, Some((previous, changed)))
}

fn plan_with(
    input: &PlanInput,
    previous: Option<(&PlanOutput, &[bool])>,
) -> Result<PlanOutput, PlanError> {
    if input.buckets == 0 {
        return Err(PlanError::Invalid("the horizon has no buckets".into()));
    }
    // Orders and pegs number items, buckets and orders in `u32`.
    if input.items.len() >= u32::MAX as usize || input.buckets >= u32::MAX as usize {
        return Err(PlanError::Invalid(
            "more than 4,294,967,294 items or buckets".into(),
        ));
    }
    let codes = low_level_codes(input.items.len(), &input.bom)?;
    for l in &input.bom {
        if Decimal::ONE - l.scrap <= Decimal::ZERO {
            return Err(PlanError::Invalid("a BOM line scraps everything".into()));
        }
    }
    match fast::plan(input, &codes, previous) {
        Some(out) => Ok(out),
        None => exact::plan(input, codes, previous),
    }
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
                let k = k as usize;
                h.word(input.demand_keys.get(k).copied().unwrap_or(k as u64));
            }
            Source::Order { item, ordinal } => {
                h.word(1);
                h.word(item_key(item as usize));
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
        self.normalized(d.normalize());
    }

    /// [`Self::decimal`] of a value already without trailing zeros.
    fn normalized(&mut self, d: Decimal) {
        let b = d.serialize();
        let (lo, hi) = b.split_at(8);
        self.word(u64::from_le_bytes(lo.try_into().expect("8 bytes")));
        self.word(u64::from_le_bytes(hi.try_into().expect("8 bytes")));
    }

    /// [`Self::normalized`] of a quantity in millionths, without making the `Decimal`: its
    /// serialized form is the flags (scale and sign), then the 96-bit mantissa.
    fn micro(&mut self, v: Micro) {
        let mut m = v.unsigned_abs();
        let mut scale = 6u64;
        if m.is_multiple_of(1_000_000) {
            (m, scale) = (m / 1_000_000, 0);
        } else {
            while m.is_multiple_of(10) {
                (m, scale) = (m / 10, scale - 1);
            }
        }
        let sign = if v < 0 { 1u64 << 31 } else { 0 };
        self.word(scale << 16 | sign | (m & 0xffff_ffff) << 32);
        self.word(m >> 32);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finalizer.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests;
