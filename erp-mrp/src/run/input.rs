//! Gathers what a run plans from: items and their planning data, the active BOMs, on hand,
//! open purchase and production orders, firm planned orders and independent demand.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::Qty;
use erp_inventory::item::model::Item;
use rust_decimal::Decimal;

use super::horizon::Horizon;
use super::repo;
use crate::bom::structure::quantity_per;
use crate::engine::{BomLine, PlanInput, PlanItem};
use crate::model::{Bom, BomLineRow};
use crate::planning::{
    repo as planning_repo,
    service::{engine_rule, planning_of},
};

/// What a requirement or receipt of the engine input stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// `demand`, `production_order`, `firm_planned_order`, `purchase_order`.
    pub kind: &'static str,
    pub id: String,
    /// For people: the document number or line.
    pub label: String,
}

/// Per item and bucket: MPS, forecast and sales entries (id, quantity).
type DemandCell = [Vec<(String, i64)>; 3];

pub struct Loaded {
    pub horizon: Horizon,
    pub input: PlanInput,
    pub items: Vec<Item>,
    pub index: HashMap<String, usize>,
    pub demand_refs: Vec<Reference>,
    pub receipt_refs: Vec<Reference>,
    /// Lead time in days, None when the item has none.
    pub lead_days: Vec<Option<i32>>,
    pub time_fence_days: Vec<i32>,
    pub fingerprints: Vec<String>,
}

fn effectivity(h: &Horizon, l: &BomLineRow) -> Option<(Option<usize>, Option<usize>)> {
    let from = match l.effective_from {
        Some(d) if d >= h.end() => return None,
        Some(d) if d > h.start => h.bucket_of(d),
        _ => None,
    };
    let to = match l.effective_to {
        Some(d) if d < h.start => return None,
        Some(d) => h.bucket_of(d),
        None => None,
    };
    Some((from, to))
}

pub fn load(
    conn: &mut DbConnection,
    company_id: &str,
    horizon: Horizon,
) -> Result<Loaded, AppError> {
    let items = repo::plannable_items(conn, company_id)?;
    let index: HashMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.clone(), i))
        .collect();
    let n = items.len();
    let h = horizon.buckets;
    let mut hashers: Vec<DefaultHasher> = (0..n).map(|_| DefaultHasher::new()).collect();

    let planning: HashMap<String, _> = planning_repo::all(conn, company_id)?
        .into_iter()
        .map(|p| (p.item_id.clone(), p))
        .collect();
    let mut plan_items = Vec::with_capacity(n);
    let mut lead_days = Vec::with_capacity(n);
    let mut fences = Vec::with_capacity(n);
    for (i, it) in items.iter().enumerate() {
        let row = planning.get(&it.id);
        let p = planning_of(it, row)?;
        let (lot_sizing, modifiers) = engine_rule(&p);
        (
            row.map(|r| {
                (
                    &r.lot_sizing,
                    r.safety_stock,
                    r.min_order,
                    r.max_order,
                    r.order_multiple,
                    r.phantom,
                )
            }),
            it.lead_time_days,
            &it.procurement,
            // What its messages say: they are kept with the plan while it is.
            &it.sku,
            p.planning_time_fence_days,
        )
            .hash(&mut hashers[i]);
        lead_days.push(it.lead_time_days);
        fences.push(p.planning_time_fence_days);
        plan_items.push(PlanItem {
            lead_time: horizon.lead_time_buckets(it.lead_time_days.unwrap_or(0)),
            safety_stock: p.safety_stock.value(),
            on_hand: Decimal::ZERO,
            lot_sizing,
            modifiers,
            phantom: p.phantom,
        });
    }

    let mut on_hand = vec![0i64; n];
    for (item, q) in repo::on_hand(conn, company_id)? {
        if let Some(&i) = index.get(&item) {
            on_hand[i] += q;
        }
    }
    for (i, q) in on_hand.iter().enumerate() {
        plan_items[i].on_hand = Qty::from_scaled(*q).value();
        q.hash(&mut hashers[i]);
    }

    // The BOM lines, parent by parent.
    let structure: Vec<(Bom, Vec<BomLineRow>)> =
        crate::bom::repo::active_structure(conn, company_id)?;
    let mut bom = Vec::new();
    let mut active: HashMap<String, (Bom, Vec<BomLineRow>)> = HashMap::new();
    for (b, lines) in structure {
        let Some(&p) = index.get(&b.item_id) else {
            continue;
        };
        for l in &lines {
            let Some(&c) = index.get(&l.component_id) else {
                continue;
            };
            let Some((from, to)) = effectivity(&horizon, l) else {
                continue;
            };
            let per = quantity_per(&b, l);
            (c, l.quantity, b.output_quantity, l.scrap, from, to).hash(&mut hashers[p]);
            bom.push(BomLine {
                parent: p,
                child: c,
                quantity_per: Qty::from_scaled(l.quantity).value()
                    / Qty::from_scaled(b.output_quantity).value(),
                scrap: Qty::from_scaled(l.scrap).value(),
                effective_from: from,
                effective_to: to,
            });
            let _ = per;
        }
        active.insert(b.item_id.clone(), (b, lines));
    }

    let mut demand = Vec::new();
    let mut demand_refs = Vec::new();
    let mut push_demand =
        |i: usize, b: usize, q: Decimal, r: Reference, hashers: &mut Vec<DefaultHasher>| {
            (b, q, &r).hash(&mut hashers[i]);
            demand.push((i, b, q));
            demand_refs.push(r);
        };
    // Independent demand: per item and bucket the MPS if it has entries, else the larger of
    // forecast and sales (the sales consume the forecast).
    let mut cells: BTreeMap<(usize, usize), DemandCell> = BTreeMap::new();
    for d in super::super::demand::repo::until(conn, company_id, horizon.end())? {
        let (Some(&i), Some(b)) = (index.get(&d.item_id), horizon.bucket_of(d.due_date)) else {
            continue;
        };
        let k = match d.kind.as_str() {
            "mps" => 0,
            "forecast" => 1,
            _ => 2,
        };
        cells.entry((i, b)).or_default()[k].push((d.id, d.quantity));
    }
    for ((i, b), [mps, forecast, sales]) in cells {
        let r = |id: &str| Reference {
            kind: "demand",
            id: id.to_string(),
            label: id.to_string(),
        };
        let q = |v: i64| Qty::from_scaled(v).value();
        if !mps.is_empty() {
            for (id, v) in &mps {
                push_demand(i, b, q(*v), r(id), &mut hashers);
            }
            continue;
        }
        let sold: i64 = sales.iter().map(|s| s.1).sum();
        for (id, v) in &sales {
            push_demand(i, b, q(*v), r(id), &mut hashers);
        }
        let mut rest = forecast.iter().map(|f| f.1).sum::<i64>() - sold;
        for (id, v) in &forecast {
            if rest <= 0 {
                break;
            }
            let take = rest.min(*v);
            push_demand(i, b, q(take), r(id), &mut hashers);
            rest -= take;
        }
    }
    // Components still to issue to open production orders, needed at their start.
    for (order, item, q, start) in repo::open_components(conn, company_id)? {
        if let (Some(&i), Some(b)) = (index.get(&item), horizon.bucket_of(start)) {
            push_demand(
                i,
                b,
                Qty::from_scaled(q).value(),
                Reference {
                    kind: "production_order",
                    id: order.clone(),
                    label: order,
                },
                &mut hashers,
            );
        }
    }

    let mut receipts = Vec::new();
    let mut receipt_refs = Vec::new();
    let mut push_receipt =
        |i: usize, b: usize, q: i64, r: Reference, hashers: &mut Vec<DefaultHasher>| {
            (b, q, &r.id).hash(&mut hashers[i]);
            receipts.push((i, b, Qty::from_scaled(q).value()));
            receipt_refs.push(r);
        };
    for p in repo::open_purchase_lines(conn, company_id)? {
        if let (Some(&i), Some(b)) = (index.get(&p.item_id), horizon.bucket_of(p.expected)) {
            push_receipt(
                i,
                b,
                p.quantity,
                Reference {
                    kind: "purchase_order",
                    id: p.order_id,
                    label: p.line_id,
                },
                &mut hashers,
            );
        }
    }
    for p in repo::open_production(conn, company_id)? {
        if let (Some(&i), Some(b)) = (index.get(&p.item_id), horizon.bucket_of(p.due)) {
            if p.quantity > 0 {
                push_receipt(
                    i,
                    b,
                    p.quantity,
                    Reference {
                        kind: "production_order",
                        id: p.id,
                        label: p.number,
                    },
                    &mut hashers,
                );
            }
        }
    }
    // Firm planned orders: receipts of their item, requirements of their components.
    for f in repo::planned_orders(conn, company_id, "firm")? {
        let Some(&i) = index.get(&f.item_id) else {
            continue;
        };
        if let Some(b) = horizon.bucket_of(f.due_date) {
            push_receipt(
                i,
                b,
                f.quantity,
                Reference {
                    kind: "firm_planned_order",
                    id: f.id.clone(),
                    label: f.id.clone(),
                },
                &mut hashers,
            );
        }
        let (Some((b, lines)), Some(rb)) =
            (active.get(&f.item_id), horizon.bucket_of(f.release_date))
        else {
            continue;
        };
        for l in lines.iter().filter(|l| {
            l.effective_from.is_none_or(|d| f.release_date >= d)
                && l.effective_to.is_none_or(|d| f.release_date <= d)
        }) {
            if let Some(&c) = index.get(&l.component_id) {
                let q = crate::bom::structure::ceil6(
                    Qty::from_scaled(f.quantity).value() * quantity_per(b, l),
                )
                .value();
                push_demand(
                    c,
                    rb,
                    q,
                    Reference {
                        kind: "firm_planned_order",
                        id: f.id.clone(),
                        label: f.id.clone(),
                    },
                    &mut hashers,
                );
            }
        }
    }
    let key = |s: &str| {
        let mut h = DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    };
    let item_keys = items.iter().map(|it| key(&it.id)).collect();
    let demand_keys = demand_refs
        .iter()
        .map(|r| key(&format!("{}:{}", r.kind, r.id)))
        .collect();
    let fingerprints = hashers
        .into_iter()
        .map(|hs| format!("{:016x}", hs.finish()))
        .collect();
    Ok(Loaded {
        horizon,
        input: PlanInput {
            buckets: h,
            items: plan_items,
            bom,
            independent_demand: demand,
            scheduled_receipts: receipts,
            item_keys,
            demand_keys,
        },
        items,
        index,
        demand_refs,
        receipt_refs,
        lead_days,
        time_fence_days: fences,
        fingerprints,
    })
}
