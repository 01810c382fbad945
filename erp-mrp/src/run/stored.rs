//! The plan as stored: written by [`save`] after a run, read back by [`previous_plan`] for a
//! net-change run. Per item the MRP record in millionths and the engine's orders (so a
//! net-change run can take the item over unchanged); per planned order its pegs; the action
//! messages. The record's stored form is in `form.rs`.

use std::collections::HashMap;

use erp_core::db::{now, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_inventory::ids::ItemId;

use super::dto::RunMode;
use super::form::{internal, KeptRecord, StoredRecord};
use super::input::Loaded;
use super::orders::{self, Placed};
use super::repo;
use crate::engine::{PlanOutput, PlannedOrder, Records, Source};
use crate::model::{ItemPlan, Run};
use crate::util::add_days;

/// The plan a net-change run starts from.
pub(super) struct Previous {
    /// In the engine's terms, for the items loaded now.
    pub plan: PlanOutput,
    /// Items whose inputs differ, or that the previous plan did not have.
    pub changed: Vec<bool>,
    /// Per item, the ids of its planned orders in the engine's order, where stored.
    pub order_ids: Vec<Vec<String>>,
}

pub(super) fn previous_plan(
    conn: &mut DbConnection,
    company_id: CompanyId,
    l: &Loaded,
) -> Result<Previous, AppError> {
    let n = l.items.len();
    let h = l.horizon.buckets;
    let mut records = Records::zeros(n, h);
    let mut demand_hashes = vec![0u64; n];
    let mut orders = Vec::new();
    let mut changed = vec![true; n];
    let mut order_ids = vec![Vec::new(); n];
    for p in repo::item_plans(conn, company_id)? {
        let Some(&i) = l.index.get(&p.item_id) else {
            continue;
        };
        let stored = KeptRecord::parse(&p.record)?;
        if stored.buckets() != h || stored.cells.len() != Records::ROWS * h {
            continue;
        }
        records.cells_of_mut(i).copy_from_slice(&stored.cells);
        // An order firmed or released since changed the item's inputs; planned again anyway.
        let taken = stored.taken();
        match (&p.orders_from, stored.placed()) {
            (Some(from), true) => {
                let base = orders::parse_base(from)?;
                order_ids[i] = (0..stored.orders.len())
                    .map(|k| orders::order_id(base, k))
                    .collect();
            }
            _ if stored.ids.len() == stored.orders.len() => order_ids[i] = stored.ids,
            _ => {}
        }
        for (release_bucket, due_bucket, quantity, past_due, phantom) in stored.orders {
            orders.push(PlannedOrder {
                item: i as u32,
                quantity,
                release_bucket,
                due_bucket,
                past_due,
                phantom,
            });
        }
        demand_hashes[i] = u64::from_str_radix(&p.demand_hash, 16).map_err(internal)?;
        changed[i] = taken || p.fingerprint != l.fingerprints[i];
    }
    let plan = PlanOutput {
        low_level_codes: vec![0; n],
        records,
        orders,
        demand_hashes,
        pegs: Vec::new(),
        messages: Vec::new(),
        replanned: vec![true; n],
    };
    Ok(Previous {
        plan,
        changed,
        order_ids,
    })
}

/// Item plans written per statement: memory stays bounded however large the plan.
const WRITE_SLICE: usize = 2_000;

/// Saves the plan: records, orders and pegs of the re-planned items, and their messages.
/// Returns (planned orders in the plan, messages in the plan).
pub(super) fn save(
    conn: &mut DbConnection,
    run: &Run,
    l: &Loaded,
    out: &PlanOutput,
    mode: RunMode,
    kept_ids: &[Vec<String>],
) -> Result<(usize, usize), AppError> {
    let company = run.company_id;
    let replanned_ids: Vec<ItemId> = l
        .items
        .iter()
        .zip(&out.replanned)
        .filter(|(_, r)| **r)
        .map(|(it, _)| it.id)
        .collect();
    match mode {
        RunMode::Regenerative => repo::delete_plan(conn, company, None)?,
        RunMode::NetChange => repo::delete_plan(conn, company, Some(&replanned_ids))?,
    }
    let pegs = PegIndex::of(out);
    let mut orders_of: Vec<Vec<usize>> = vec![Vec::new(); l.items.len()];
    for (k, o) in out.orders.iter().enumerate() {
        orders_of[o.item as usize].push(k);
    }
    // Ids of the engine's orders: for items taken over, those of their stored plan; for the
    // re-planned, those of their new plan.
    let mut order_ids = vec![String::new(); out.orders.len()];
    let mut kept = KeptIds {
        stored: kept_ids,
        read_back: None,
    };
    let item_ids: Vec<String> = l.items.iter().map(|it| it.id.to_string()).collect();
    let mut writer = PlanWriter {
        run,
        l,
        item_ids: &item_ids,
        out,
        pegs: &pegs,
        run_base: orders::run_base(),
        at: now(),
        written: 0,
        seen: HashMap::new(),
    };
    let mut plans = Vec::new();
    for (i, ks) in orders_of.iter().enumerate() {
        if !out.replanned[i] {
            for (ordinal, &k) in ks.iter().enumerate() {
                order_ids[k] = kept.id(conn, company, i, l.items[i].id, ordinal)?;
            }
            continue;
        }
        plans.push(writer.item_plan(i, ks, &mut order_ids)?);
        if plans.len() == WRITE_SLICE {
            repo::insert_item_plans(conn, &plans)?;
            plans.clear();
        }
    }
    repo::insert_item_plans(conn, &plans)?;

    let messages = super::messages::rows(run, l, out, &order_ids);
    repo::insert_messages(conn, &messages)?;
    // A net-change run kept the messages of the items it kept.
    let in_plan = match mode {
        RunMode::Regenerative => messages.len(),
        RunMode::NetChange => repo::count_messages(conn, company)? as usize,
    };
    Ok((out.orders.iter().filter(|o| !o.phantom).count(), in_plan))
}

/// The pegs of each order, found through a counting sort of the pegs on their order.
struct PegIndex {
    start: Vec<usize>,
    order: Vec<usize>,
}

impl PegIndex {
    fn of(out: &PlanOutput) -> Self {
        let mut start = vec![0usize; out.orders.len() + 1];
        for p in &out.pegs {
            start[p.order as usize + 1] += 1;
        }
        for k in 0..out.orders.len() {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut order = vec![0usize; out.pegs.len()];
        for (n, p) in out.pegs.iter().enumerate() {
            let k = p.order as usize;
            order[fill[k]] = n;
            fill[k] += 1;
        }
        PegIndex { start, order }
    }

    /// The positions in `PlanOutput::pegs` of order `k`'s pegs.
    fn of_order(&self, k: usize) -> &[usize] {
        &self.order[self.start[k]..self.start[k + 1]]
    }
}

/// The ids of the orders of items a net-change run took over: kept with their stored plan,
/// or, for plans stored without them, read back from the planned orders once.
struct KeptIds<'a> {
    stored: &'a [Vec<String>],
    read_back: Option<HashMap<ItemId, HashMap<i32, String>>>,
}

impl KeptIds<'_> {
    fn id(
        &mut self,
        conn: &mut DbConnection,
        company: CompanyId,
        i: usize,
        item_id: ItemId,
        ordinal: usize,
    ) -> Result<String, AppError> {
        if let Some(id) = self.stored.get(i).and_then(|ids| ids.get(ordinal)) {
            return Ok(id.clone());
        }
        if self.read_back.is_none() {
            let mut all: HashMap<ItemId, HashMap<i32, String>> = HashMap::new();
            for (id, item, ordinal) in repo::planned_order_ids(conn, company)? {
                all.entry(item).or_default().insert(ordinal, id);
            }
            self.read_back = Some(all);
        }
        Ok(self
            .read_back
            .as_mut()
            .and_then(|all| all.get_mut(&item_id))
            .and_then(|ids| ids.remove(&(ordinal as i32)))
            .unwrap_or_default())
    }
}

/// Writes a re-planned item's plan row: its record, and its orders placed in the plan with
/// their dates and pegs.
struct PlanWriter<'a> {
    run: &'a Run,
    l: &'a Loaded,
    /// The items' ids as the pegs name them.
    item_ids: &'a [String],
    out: &'a PlanOutput,
    pegs: &'a PegIndex,
    run_base: u128,
    at: chrono::NaiveDateTime,
    /// Item plans written so far: each takes the next block of order ids.
    written: usize,
    /// An item's peg sources by id, with their place in its list; reused item to item.
    seen: HashMap<&'a str, u32>,
}

impl PlanWriter<'_> {
    /// Item `i`'s plan row, its orders being `ks` (positions in `PlanOutput::orders`); sets
    /// their ids in `order_ids`.
    fn item_plan(
        &mut self,
        i: usize,
        ks: &[usize],
        order_ids: &mut [String],
    ) -> Result<ItemPlan, AppError> {
        let (l, out) = (self.l, self.out);
        let it = &l.items[i];
        if ks.len() > orders::MAX_ORDERS_PER_ITEM {
            return Err(AppError::Internal(format!(
                "{}: more than {} planned orders",
                it.sku,
                orders::MAX_ORDERS_PER_ITEM
            )));
        }
        let base = orders::plan_base(self.run_base, self.written);
        self.written += 1;
        let placed = self.place(i, ks, base, order_ids)?;
        let h = &l.horizon;
        let first_release = placed
            .days
            .iter()
            .map(|d| d.0)
            .min()
            .map(|d| add_days(h.start, i64::from(d)));
        let stored = StoredRecord {
            cells: out.records.cells_of(i).to_vec(),
            orders: ks
                .iter()
                .map(|k| {
                    let o = &out.orders[*k];
                    (
                        o.release_bucket,
                        o.due_bucket,
                        o.quantity,
                        o.past_due,
                        o.phantom,
                    )
                })
                .collect(),
            ids: Vec::new(),
            placed: Some(placed),
            shift: 0,
        };
        Ok(ItemPlan {
            item_id: it.id,
            company_id: self.run.company_id,
            run_id: self.run.id.clone(),
            low_level_code: out.low_level_codes[i] as i32,
            fingerprint: l.fingerprints[i].clone(),
            demand_hash: format!("{:016x}", out.demand_hashes[i]),
            record: stored.into_json()?,
            orders_from: Some(orders::order_id(base, 0)),
            first_release,
        })
    }

    /// Item `i`'s orders as planners see them: their ids from `base`, dates, and pegs (each
    /// source written once per item).
    fn place(
        &mut self,
        i: usize,
        ks: &[usize],
        base: u128,
        order_ids: &mut [String],
    ) -> Result<Placed, AppError> {
        let (l, out, h) = (self.l, self.out, &self.l.horizon);
        let mut placed = Placed {
            kind: l.items[i].procurement.into(),
            from: h.start,
            days: Vec::with_capacity(ks.len()),
            sources: Vec::new(),
            pegs: Vec::with_capacity(ks.len()),
            gone: Vec::new(),
            at: self.at,
        };
        self.seen.clear();
        let day = |d: chrono::NaiveDate| (d - h.start).num_days() as i32;
        for (ordinal, &k) in ks.iter().enumerate() {
            let o = &out.orders[k];
            order_ids[k] = orders::order_id(base, ordinal);
            let due = h.bucket_start(o.due_bucket as usize);
            let release = if o.phantom {
                h.bucket_start(o.release_bucket as usize)
            } else {
                add_days(due, -i64::from(l.lead_days[i].unwrap_or(0).max(0)))
            };
            placed.days.push((day(release), day(due)));
            let mut pegs = Vec::with_capacity(self.pegs.of_order(k).len());
            for &n in self.pegs.of_order(k) {
                let p = &out.pegs[n];
                let (kind, source, parent) = match p.source {
                    Source::Independent(d) => {
                        let d = &l.demand_refs[d as usize];
                        (d.kind, &d.id, -1)
                    }
                    Source::Order { item, ordinal } => (
                        "planned_order",
                        &self.item_ids[item as usize],
                        ordinal as i32,
                    ),
                };
                let next = placed.sources.len() as u32;
                let at = *self.seen.entry(source.as_str()).or_insert(next);
                if at == next {
                    placed.sources.push(source.clone());
                }
                pegs.push((orders::peg_type_code(kind)?, at, parent, p.quantity));
            }
            placed.pegs.push(pegs);
        }
        Ok(placed)
    }
}
