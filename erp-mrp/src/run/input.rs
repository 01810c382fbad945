//! Gathers what a run plans from: items and their planning data, the active BOMs, on hand,
//! open purchase and production orders, firm planned orders and independent demand.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_inventory::ids::ItemId;
use erp_inventory::item::model::Item;
use rust_decimal::Decimal;

use super::horizon::Horizon;
use super::repo;
use crate::bom::structure::scaled_quantity_per;
use crate::engine::{BomLine, PlanInput, PlanItem};
use crate::model::{PlanningBom, PlanningLine};
use crate::planning::{
    repo as planning_repo,
    service::{engine_rule, planning_of},
};
use crate::states::DemandKind;

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
    pub index: HashMap<ItemId, usize>,
    pub demand_refs: Vec<Reference>,
    pub receipt_refs: Vec<Reference>,
    /// Lead time in days, None when the item has none.
    pub lead_days: Vec<Option<i32>>,
    pub time_fence_days: Vec<i32>,
    pub fingerprints: Vec<String>,
}

fn effectivity(h: &Horizon, l: &PlanningLine) -> Option<(Option<usize>, Option<usize>)> {
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

impl Reference {
    fn new(kind: &'static str, id: &str, label: &str) -> Reference {
        Reference {
            kind,
            id: id.to_string(),
            label: label.to_string(),
        }
    }
}

/// The engine input as it is gathered: requirements and receipts with what each stands for,
/// and per item a hash of everything it is planned from (its fingerprint: a net-change run
/// replans only the items whose fingerprint changed).
struct Gathering<'a> {
    horizon: Horizon,
    index: &'a HashMap<ItemId, usize>,
    hashers: Vec<DefaultHasher>,
    demand: Vec<(usize, usize, Decimal)>,
    demand_refs: Vec<Reference>,
    receipts: Vec<(usize, usize, Decimal)>,
    receipt_refs: Vec<Reference>,
}

/// The active BOMs by parent item, with their lines.
type ActiveBoms = HashMap<ItemId, (PlanningBom, Vec<PlanningLine>)>;

impl Gathering<'_> {
    /// The item's index and the bucket of `day`, when the item is planned and the day in the
    /// horizon.
    fn at(&self, item: ItemId, day: chrono::NaiveDate) -> Option<(usize, usize)> {
        Some((*self.index.get(&item)?, self.horizon.bucket_of(day)?))
    }

    fn require(&mut self, i: usize, b: usize, q: Decimal, r: Reference) {
        (b, q, &r).hash(&mut self.hashers[i]);
        self.demand.push((i, b, q));
        self.demand_refs.push(r);
    }

    fn receive(&mut self, i: usize, b: usize, q: i64, r: Reference) {
        (b, q, &r.id).hash(&mut self.hashers[i]);
        self.receipts.push((i, b, Qty::from_scaled(q).value()));
        self.receipt_refs.push(r);
    }

    /// Each item's planning parameters (lead time, lot sizing, safety stock) and its
    /// planning time fence in days.
    fn planning(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
        items: &[Item],
    ) -> Result<(Vec<PlanItem>, Vec<i32>), AppError> {
        let planning: HashMap<ItemId, _> = planning_repo::all(conn, company_id)?
            .into_iter()
            .map(|p| (p.item_id, p))
            .collect();
        let mut plan_items = Vec::with_capacity(items.len());
        let mut fences = Vec::with_capacity(items.len());
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
                .hash(&mut self.hashers[i]);
            fences.push(p.planning_time_fence_days);
            plan_items.push(PlanItem {
                lead_time: self
                    .horizon
                    .lead_time_buckets(it.lead_time_days.unwrap_or(0)),
                safety_stock: p.safety_stock.value(),
                on_hand: Decimal::ZERO,
                lot_sizing,
                modifiers,
                phantom: p.phantom,
            });
        }
        Ok((plan_items, fences))
    }

    /// Stock on hand of each item, over all its locations.
    fn on_hand(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
        plan_items: &mut [PlanItem],
    ) -> Result<(), AppError> {
        let mut on_hand = vec![0i64; plan_items.len()];
        for (item, q) in repo::on_hand(conn, company_id)? {
            if let Some(&i) = self.index.get(&item) {
                on_hand[i] += q;
            }
        }
        for (i, q) in on_hand.iter().enumerate() {
            plan_items[i].on_hand = Qty::from_scaled(*q).value();
            q.hash(&mut self.hashers[i]);
        }
        Ok(())
    }

    /// The lines of the active BOMs, parent by parent, effective somewhere in the horizon.
    fn bom(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<(Vec<BomLine>, ActiveBoms), AppError> {
        let mut bom = Vec::new();
        let mut active = HashMap::new();
        for (b, lines) in crate::bom::repo::active_for_planning(conn, company_id)? {
            let Some(&p) = self.index.get(&b.item_id) else {
                continue;
            };
            for l in &lines {
                let Some(&c) = self.index.get(&l.component_id) else {
                    continue;
                };
                let Some((from, to)) = effectivity(&self.horizon, l) else {
                    continue;
                };
                (c, l.quantity, b.output_quantity, l.scrap, from, to).hash(&mut self.hashers[p]);
                bom.push(BomLine {
                    parent: p,
                    child: c,
                    quantity_per: Qty::from_scaled(l.quantity).value()
                        / Qty::from_scaled(b.output_quantity).value(),
                    scrap: Qty::from_scaled(l.scrap).value(),
                    effective_from: from,
                    effective_to: to,
                });
            }
            active.insert(b.item_id, (b, lines));
        }
        Ok((bom, active))
    }

    /// Independent demand: per item and bucket the MPS if it has entries, else the larger of
    /// forecast and sales (the sales consume the forecast).
    fn independent_demand(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<(), AppError> {
        let mut cells: BTreeMap<(usize, usize), DemandCell> = BTreeMap::new();
        for d in crate::demand::repo::until(conn, company_id, self.horizon.end())? {
            let Some(at) = self.at(d.item_id, d.due_date) else {
                continue;
            };
            let k = match d.kind {
                DemandKind::Mps => 0,
                DemandKind::Forecast => 1,
                DemandKind::SalesOrder => 2,
            };
            cells.entry(at).or_default()[k].push((d.id, d.quantity));
        }
        let r = |id: &str| Reference::new("demand", id, id);
        let q = |v: i64| Qty::from_scaled(v).value();
        for ((i, b), [mps, forecast, sales]) in cells {
            if !mps.is_empty() {
                for (id, v) in &mps {
                    self.require(i, b, q(*v), r(id));
                }
                continue;
            }
            let sold: i64 = sales.iter().map(|s| s.1).sum();
            for (id, v) in &sales {
                self.require(i, b, q(*v), r(id));
            }
            let mut rest = forecast.iter().map(|f| f.1).sum::<i64>() - sold;
            for (id, v) in &forecast {
                if rest <= 0 {
                    break;
                }
                let take = rest.min(*v);
                self.require(i, b, q(take), r(id));
                rest -= take;
            }
        }
        Ok(())
    }

    /// Components still to issue to open production orders, needed at their start.
    fn open_components(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<(), AppError> {
        for (order, item, q, start) in repo::open_components(conn, company_id)? {
            if let Some((i, b)) = self.at(item, start) {
                let r = Reference::new("production_order", &order, &order);
                self.require(i, b, Qty::from_scaled(q).value(), r);
            }
        }
        Ok(())
    }

    /// Open purchase order lines and production orders, due in the horizon.
    fn open_orders(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<(), AppError> {
        for p in repo::open_purchase_lines(conn, company_id)? {
            if let Some((i, b)) = self.at(p.item_id, p.expected) {
                let r = Reference::new("purchase_order", &p.order_id, &p.line_id);
                self.receive(i, b, p.quantity, r);
            }
        }
        for p in repo::open_production(conn, company_id)? {
            if let Some((i, b)) = self.at(p.item_id, p.due) {
                if p.quantity > 0 {
                    let r = Reference::new("production_order", &p.id, &p.number);
                    self.receive(i, b, p.quantity, r);
                }
            }
        }
        Ok(())
    }

    /// Firm planned orders: receipts of their item, requirements of their components at
    /// their release.
    fn firm_planned_orders(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
        active: &ActiveBoms,
    ) -> Result<(), AppError> {
        for f in repo::planned_orders(conn, company_id, "firm")? {
            let Some(&i) = self.index.get(&f.item_id) else {
                continue;
            };
            let r = || Reference::new("firm_planned_order", &f.id, &f.id);
            if let Some(b) = self.horizon.bucket_of(f.due_date) {
                self.receive(i, b, f.quantity, r());
            }
            let (Some((b, lines)), Some(rb)) = (
                active.get(&f.item_id),
                self.horizon.bucket_of(f.release_date),
            ) else {
                continue;
            };
            for l in lines.iter().filter(|l| {
                l.effective_from.is_none_or(|d| f.release_date >= d)
                    && l.effective_to.is_none_or(|d| f.release_date <= d)
            }) {
                if let Some(&c) = self.index.get(&l.component_id) {
                    let q = crate::bom::structure::ceil6(
                        Qty::from_scaled(f.quantity).value()
                            * scaled_quantity_per(l.quantity, b.output_quantity, l.scrap),
                    )
                    .value();
                    self.require(c, rb, q, r());
                }
            }
        }
        Ok(())
    }
}

fn key(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Everything a run plans from, in the engine's terms, with what each figure stands for.
pub fn load(
    conn: &mut DbConnection,
    company_id: CompanyId,
    horizon: Horizon,
) -> Result<Loaded, AppError> {
    let items = repo::plannable_items(conn, company_id)?;
    let index: HashMap<ItemId, usize> =
        items.iter().enumerate().map(|(i, it)| (it.id, i)).collect();
    let mut g = Gathering {
        horizon,
        index: &index,
        hashers: (0..items.len()).map(|_| DefaultHasher::new()).collect(),
        demand: Vec::new(),
        demand_refs: Vec::new(),
        receipts: Vec::new(),
        receipt_refs: Vec::new(),
    };
    let (mut plan_items, fences) = g.planning(conn, company_id, &items)?;
    g.on_hand(conn, company_id, &mut plan_items)?;
    let (bom, active) = g.bom(conn, company_id)?;
    g.independent_demand(conn, company_id)?;
    g.open_components(conn, company_id)?;
    g.open_orders(conn, company_id)?;
    g.firm_planned_orders(conn, company_id, &active)?;
    let Gathering {
        hashers,
        demand,
        demand_refs,
        receipts,
        receipt_refs,
        ..
    } = g;
    Ok(Loaded {
        horizon,
        input: PlanInput {
            buckets: horizon.buckets,
            items: plan_items,
            bom,
            independent_demand: demand,
            scheduled_receipts: receipts,
            // The id's text, as the keys were made when rows held text: the same keys.
            item_keys: items.iter().map(|it| key(&it.id.to_string())).collect(),
            demand_keys: demand_refs
                .iter()
                .map(|r| key(&format!("{}:{}", r.kind, r.id)))
                .collect(),
        },
        lead_days: items.iter().map(|it| it.lead_time_days).collect(),
        time_fence_days: fences,
        fingerprints: hashers
            .into_iter()
            .map(|hs| format!("{:016x}", hs.finish()))
            .collect(),
        items,
        index,
        demand_refs,
        receipt_refs,
    })
}
