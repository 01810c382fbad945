//! The plan as stored: written by [`save`] after a run, read back by [`previous_plan`] for a
//! net-change run. Per item the MRP record in millionths and the engine's orders (so a
//! net-change run can take the item over unchanged); per planned order its pegs; the action
//! messages.

use std::collections::HashMap;

use erp_core::db::{now, DbConnection};
use erp_core::error::AppError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dto::RunMode;
use super::input::Loaded;
use super::orders::{self, Placed};
use super::repo;
use crate::engine::{Micro, PlanOutput, PlannedOrder, Records, Source};
use crate::model::{ItemPlan, Run};
use crate::util::add_days;

#[derive(Debug, Serialize, Deserialize)]
pub struct StoredRecord {
    /// The six rows of the record one after the other, in millionths.
    pub cells: Vec<Micro>,
    /// (release bucket, due bucket, quantity in millionths, past due, phantom)
    pub orders: Vec<(usize, usize, Micro, bool, bool)>,
    /// The ids of those orders, so a net-change run that keeps them need not read them
    /// back (empty in plans stored before 2026-12-06).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The orders as planners see them, where they live in the plan (since 2026-12-06).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed: Option<Placed>,
    /// As stored, every quantity is its millionths divided by 10^shift, the most they all
    /// allow: a quantity of 12 units is written `12`, not `12000000`. Always 0 once read.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shift: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Quantities stored shifted by `shift` places, back in millionths.
fn unshift<'a>(
    shift: u32,
    quantities: impl Iterator<Item = &'a mut Micro>,
) -> Result<(), AppError> {
    if shift == 0 {
        return Ok(());
    }
    let unit = 10i64.checked_pow(shift).ok_or_else(|| internal("shift"))?;
    for q in quantities {
        *q = q
            .checked_mul(unit)
            .ok_or_else(|| internal("shifted quantity"))?;
    }
    Ok(())
}

/// A stored record as a net-change run takes it over: the record and the engine's orders.
/// The orders' dates, sources and pegs, most of the text, are skipped unread.
#[derive(Deserialize)]
pub struct KeptRecord {
    pub cells: Vec<Micro>,
    pub orders: Vec<(usize, usize, Micro, bool, bool)>,
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    placed: Option<Gone>,
    #[serde(default)]
    shift: u32,
}

#[derive(Deserialize)]
struct Gone {
    #[serde(default)]
    gone: Vec<u32>,
}

impl KeptRecord {
    /// Reads a stored record in either form.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let Ok(mut r) = serde_json::from_str::<KeptRecord>(text) else {
            let r = StoredRecord::parse(text)?;
            return Ok(KeptRecord {
                cells: r.cells,
                orders: r.orders,
                ids: r.ids,
                placed: r.placed.map(|p| Gone { gone: p.gone }),
                shift: 0,
            });
        };
        unshift(
            r.shift,
            r.cells
                .iter_mut()
                .chain(r.orders.iter_mut().map(|o| &mut o.2)),
        )?;
        r.shift = 0;
        Ok(r)
    }

    /// Whether its orders live in the plan (since 2026-12-06) rather than in rows.
    pub fn placed(&self) -> bool {
        self.placed.is_some()
    }

    /// Whether an order was firmed or released from the plan since the run.
    pub fn taken(&self) -> bool {
        self.placed.as_ref().is_some_and(|p| !p.gone.is_empty())
    }

    pub fn buckets(&self) -> usize {
        self.cells.len() / Records::ROWS
    }
}

/// The form plans were stored in before 2026-12-06: decimals, the rows apart.
#[derive(Deserialize)]
struct Decimals {
    rows: [Vec<Decimal>; 6],
    orders: Vec<(usize, usize, Decimal, bool, bool)>,
}

fn micro(d: Decimal) -> Micro {
    crate::bom::structure::ceil6(d)
        .to_scaled()
        .unwrap_or(Micro::MAX)
}

impl StoredRecord {
    /// Reads a stored record in either form.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        if let Ok(mut r) = serde_json::from_str::<StoredRecord>(text) {
            unshift(r.shift, r.quantities())?;
            r.shift = 0;
            return Ok(r);
        }
        let d: Decimals =
            serde_json::from_str(text).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(StoredRecord {
            cells: d.rows.iter().flatten().map(|v| micro(*v)).collect(),
            orders: d
                .orders
                .into_iter()
                .map(|(r, due, q, late, phantom)| (r, due, micro(q), late, phantom))
                .collect(),
            ids: Vec::new(),
            placed: None,
            shift: 0,
        })
    }

    /// Every quantity: the cells, the orders', the pegs'.
    fn quantities(&mut self) -> impl Iterator<Item = &mut Micro> {
        let pegs = self
            .placed
            .iter_mut()
            .flat_map(|p| p.pegs.iter_mut().flatten().map(|g| &mut g.3));
        self.cells
            .iter_mut()
            .chain(self.orders.iter_mut().map(|o| &mut o.2))
            .chain(pegs)
    }

    /// The record as stored, its quantities shifted as far as they all allow.
    pub fn into_json(mut self) -> Result<String, AppError> {
        let mut shift = 6;
        for q in self.quantities() {
            while shift > 0 && *q % 10i64.pow(shift) != 0 {
                shift -= 1;
            }
        }
        let unit = 10i64.pow(shift);
        self.quantities().for_each(|q| *q /= unit);
        self.shift = shift;
        serde_json::to_string(&self).map_err(internal)
    }

    pub fn buckets(&self) -> usize {
        self.cells.len() / Records::ROWS
    }

    /// Row `r` in [`crate::engine::MrpRecord`]'s order.
    pub fn row(&self, r: usize) -> &[Micro] {
        let h = self.buckets();
        &self.cells[r * h..(r + 1) * h]
    }

    /// What releases past due add up to (phantoms aside).
    pub fn past_due(&self) -> Micro {
        self.orders
            .iter()
            .filter(|o| o.3 && !o.4)
            .map(|o| o.2)
            .sum()
    }
}

/// What a planned order serves, kept on the order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPeg {
    /// `demand`, `planned_order` (`source_id` the parent item), `production_order`,
    /// `firm_planned_order`.
    pub source_type: String,
    pub source_id: String,
    pub parent_ordinal: Option<i32>,
    /// Qty ×10^6.
    pub quantity: i64,
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

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
    company_id: &str,
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
                item: i,
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
    let company = &run.company_id;
    let h = &l.horizon;
    let replanned_ids: Vec<String> = l
        .items
        .iter()
        .zip(&out.replanned)
        .filter(|(_, r)| **r)
        .map(|(it, _)| it.id.clone())
        .collect();
    match mode {
        RunMode::Regenerative => repo::delete_plan(conn, company, None)?,
        RunMode::NetChange => repo::delete_plan(conn, company, Some(&replanned_ids))?,
    }
    // The pegs of each order, found through a counting sort of the pegs on their order.
    let mut peg_start = vec![0usize; out.orders.len() + 1];
    for p in &out.pegs {
        peg_start[p.order + 1] += 1;
    }
    for k in 0..out.orders.len() {
        peg_start[k + 1] += peg_start[k];
    }
    let mut fill = peg_start.clone();
    let mut peg_order = vec![0usize; out.pegs.len()];
    for (n, p) in out.pegs.iter().enumerate() {
        peg_order[fill[p.order]] = n;
        fill[p.order] += 1;
    }
    let mut orders_of: Vec<Vec<usize>> = vec![Vec::new(); l.items.len()];
    for (k, o) in out.orders.iter().enumerate() {
        orders_of[o.item].push(k);
    }
    // Ids of the engine's orders: for items taken over, those of their stored plan (read
    // back for plans stored without them); for the re-planned, those of their new plan.
    let mut order_ids = vec![String::new(); out.orders.len()];
    let mut read_back: Option<HashMap<String, HashMap<i32, String>>> = None;
    let run_base = orders::run_base();
    let at = now();
    let mut plans = Vec::new();
    let mut written = 0;
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for (i, it) in l.items.iter().enumerate() {
        let ks = &orders_of[i];
        if !out.replanned[i] {
            for (ordinal, &k) in ks.iter().enumerate() {
                order_ids[k] = match kept_ids.get(i).and_then(|ids| ids.get(ordinal)) {
                    Some(id) => id.clone(),
                    None => {
                        if read_back.is_none() {
                            let mut all: HashMap<String, HashMap<i32, String>> = HashMap::new();
                            for (id, item, ordinal) in repo::planned_order_ids(conn, company)? {
                                all.entry(item).or_default().insert(ordinal, id);
                            }
                            read_back = Some(all);
                        }
                        read_back
                            .as_mut()
                            .and_then(|all| all.get_mut(&it.id))
                            .and_then(|ids| ids.remove(&(ordinal as i32)))
                            .unwrap_or_default()
                    }
                };
            }
            continue;
        }
        if ks.len() > orders::MAX_ORDERS_PER_ITEM {
            return Err(AppError::Internal(format!(
                "{}: more than {} planned orders",
                it.sku,
                orders::MAX_ORDERS_PER_ITEM
            )));
        }
        let base = orders::plan_base(run_base, written);
        written += 1;
        let mut placed = Placed {
            kind: it.procurement.clone(),
            from: h.start,
            days: Vec::with_capacity(ks.len()),
            sources: Vec::new(),
            pegs: Vec::with_capacity(ks.len()),
            gone: Vec::new(),
            at,
        };
        seen.clear();
        let day = |d: chrono::NaiveDate| (d - h.start).num_days() as i32;
        for (ordinal, &k) in ks.iter().enumerate() {
            let o = &out.orders[k];
            order_ids[k] = orders::order_id(base, ordinal);
            let due = h.bucket_start(o.due_bucket);
            let release = if o.phantom {
                h.bucket_start(o.release_bucket)
            } else {
                add_days(due, -i64::from(l.lead_days[o.item].unwrap_or(0).max(0)))
            };
            placed.days.push((day(release), day(due)));
            let mut pegs = Vec::with_capacity(peg_start[k + 1] - peg_start[k]);
            for &n in &peg_order[peg_start[k]..peg_start[k + 1]] {
                let p = &out.pegs[n];
                let (kind, source, parent) = match p.source {
                    Source::Independent(d) => (l.demand_refs[d].kind, &l.demand_refs[d].id, -1),
                    Source::Order { item, ordinal } => {
                        ("planned_order", &l.items[item].id, ordinal as i32)
                    }
                };
                let next = placed.sources.len() as u32;
                let at = *seen.entry(source.as_str()).or_insert(next);
                if at == next {
                    placed.sources.push(source.clone());
                }
                pegs.push((orders::peg_type_code(kind)?, at, parent, p.quantity));
            }
            placed.pegs.push(pegs);
        }
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
        plans.push(ItemPlan {
            item_id: it.id.clone(),
            company_id: company.clone(),
            run_id: run.id.clone(),
            low_level_code: out.low_level_codes[i] as i32,
            fingerprint: l.fingerprints[i].clone(),
            demand_hash: format!("{:016x}", out.demand_hashes[i]),
            record: stored.into_json()?,
            orders_from: Some(orders::order_id(base, 0)),
            first_release,
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_stored_in_decimals_reads_as_millionths() {
        let old = r#"{"rows":[["1.5","0"],["0","2"],["3","0.000001"],["0","0"],["0","0"],["4","0"]],
                     "orders":[[0,1,"2.25",true,false],[0,0,"1",false,true]]}"#;
        let r = StoredRecord::parse(old).expect("reads");
        assert_eq!(r.buckets(), 2);
        assert_eq!(r.row(0), &[1_500_000, 0]);
        assert_eq!(r.row(2), &[3_000_000, 1]);
        assert_eq!(r.row(5), &[4_000_000, 0]);
        assert_eq!(r.past_due(), 2_250_000);
        let cells = r.cells.clone();
        let new = r.into_json().expect("writes");
        // 0.000001 in the cells keeps them in millionths.
        assert!(new.contains("3000000") && !new.contains("shift"), "{new}");
        assert_eq!(StoredRecord::parse(&new).expect("reads").cells, cells);
        assert!(StoredRecord::parse("{}").is_err());
    }

    #[test]
    fn whole_quantities_are_stored_shifted_and_read_as_millionths() {
        let r = StoredRecord {
            cells: vec![12_000_000, 0, 2_500_000, 40_000_000],
            orders: vec![(0, 1, 2_500_000, false, false)],
            ids: Vec::new(),
            placed: None,
            shift: 0,
        };
        let text = r.into_json().expect("writes");
        assert_eq!(
            text,
            r#"{"cells":[120,0,25,400],"orders":[[0,1,25,false,false]],"shift":5}"#
        );
        let back = StoredRecord::parse(&text).expect("reads");
        assert_eq!(back.cells, vec![12_000_000, 0, 2_500_000, 40_000_000]);
        assert_eq!(back.orders[0].2, 2_500_000);
        assert_eq!(back.shift, 0);
    }

    #[test]
    fn a_net_change_run_reads_the_record_and_orders_of_a_plan_and_skips_its_pegs() {
        let placed = Placed {
            kind: "buy".into(),
            from: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            days: vec![(0, 7), (7, 14)],
            sources: vec!["d-1".into()],
            pegs: vec![vec![(1, 0, -1, 3_000_000)], vec![(1, 0, -1, 500_000)]],
            gone: vec![1],
            at: chrono::DateTime::from_timestamp(1_800_000_000, 0)
                .unwrap()
                .naive_utc(),
        };
        let r = StoredRecord {
            cells: vec![3_000_000, 500_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            orders: vec![
                (0, 1, 3_000_000, false, false),
                (1, 2, 500_000, true, false),
            ],
            ids: Vec::new(),
            placed: Some(placed),
            shift: 0,
        };
        let text = r.into_json().expect("writes");
        assert!(text.contains("\"shift\":5"), "{text}");
        let full = StoredRecord::parse(&text).expect("reads");
        let kept = KeptRecord::parse(&text).expect("reads");
        assert!(kept.placed() && kept.taken());
        assert_eq!((kept.cells, kept.orders), (full.cells, full.orders));
        // A plan stored in decimals reads too, without orders placed.
        let old = r#"{"rows":[["1"],["0"],["0"],["0"],["0"],["0"]],"orders":[]}"#;
        let kept = KeptRecord::parse(old).expect("reads");
        assert_eq!(
            (kept.cells[0], kept.placed(), kept.taken()),
            (1_000_000, false, false)
        );
    }
}
