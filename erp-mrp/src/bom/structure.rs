//! Reading the product structure: indented explosion, where-used, standard cost roll-up.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::{round_commercial, Money, Price, Qty};
use erp_inventory::ids::ItemId;
use erp_inventory::item::{self, model::Item};
use rust_decimal::{Decimal, RoundingStrategy};

use super::dto::*;
use super::repo;
use crate::error::MrpError;
use crate::ids::{BomId, WorkCenterId};
use crate::model::{Bom, BomLineRow};
use crate::planning::repo as planning_repo;
use crate::work_center;

/// Deeper than any real product; guards against bad data.
const MAX_DEPTH: u32 = 64;

/// The active structure of a company, ready to walk.
pub struct Structure {
    pub boms: HashMap<ItemId, (Bom, Vec<BomLineRow>)>,
    pub phantoms: std::collections::HashSet<ItemId>,
    items: HashMap<ItemId, Item>,
    company_id: CompanyId,
}

impl Structure {
    pub fn load(conn: &mut DbConnection, company_id: CompanyId) -> Result<Structure, AppError> {
        let boms = repo::active_structure(conn, company_id)?
            .into_iter()
            .map(|(b, l)| (b.item_id, (b, l)))
            .collect();
        let phantoms = planning_repo::all(conn, company_id)?
            .into_iter()
            .filter(|p| p.phantom)
            .map(|p| p.item_id)
            .collect();
        Ok(Structure {
            boms,
            phantoms,
            items: HashMap::new(),
            company_id,
        })
    }

    pub fn item(&mut self, conn: &mut DbConnection, id: ItemId) -> Result<Item, AppError> {
        if let Some(i) = self.items.get(&id) {
            return Ok(i.clone());
        }
        let i = item::repo::find(conn, id, self.company_id)?.ok_or(AppError::NotFound("item"))?;
        self.items.insert(id, i.clone());
        Ok(i)
    }
}

/// Quantity of a line's component per unit of the parent, scrap included.
pub fn quantity_per(b: &Bom, l: &BomLineRow) -> Decimal {
    scaled_quantity_per(l.quantity, b.output_quantity, l.scrap)
}

/// [`quantity_per`] from the stored figures: the line's quantity, the BOM's output and the
/// scrap share, all ×10^6.
pub fn scaled_quantity_per(quantity: i64, output_quantity: i64, scrap: i64) -> Decimal {
    let base = Qty::from_scaled(quantity).value() / Qty::from_scaled(output_quantity).value();
    base / (Decimal::ONE - Qty::from_scaled(scrap).value())
}

fn effective(l: &BomLineRow, date: NaiveDate) -> bool {
    l.effective_from.is_none_or(|f| date >= f) && l.effective_to.is_none_or(|t| date <= t)
}

/// Rounds up to the 6 places quantities keep.
pub fn ceil6(d: Decimal) -> Qty {
    Qty::new(d.round_dp_with_strategy(6, RoundingStrategy::ToPositiveInfinity)).unwrap_or(Qty::ZERO)
}

pub fn explode(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
    q: ExplosionQuery,
) -> Result<Explosion, AppError> {
    actor.require("mrp.master.read")?;
    let quantity = q
        .quantity
        .unwrap_or(Qty::new(Decimal::ONE).unwrap_or_default());
    if quantity <= Qty::ZERO {
        return Err(AppError::field("quantity", "must be greater than zero"));
    }
    let date = q.date.unwrap_or_else(|| Utc::now().date_naive());
    let top = item::service::load(conn, actor, item_id)?;
    let mut s = Structure::load(conn, top.company_id)?;
    if !s.boms.contains_key(&top.id) {
        return Err(MrpError::NoActiveBom(top.sku.clone()).into());
    }
    let mut lines = Vec::new();
    let mut totals: BTreeMap<ItemId, Decimal> = BTreeMap::new();
    // Depth first: children pushed in reverse so the first line comes out first.
    let mut pending: Vec<(ItemId, ItemId, Decimal, Decimal, u32)> = Vec::new();
    push_children(&s, top.id, quantity.value(), 1, date, &mut pending);
    while let Some((parent, child, per, total, level)) = pending.pop() {
        if level > MAX_DEPTH {
            return Err(MrpError::BomTooDeep(MAX_DEPTH).into());
        }
        let it = s.item(conn, child)?;
        let make = s.boms.contains_key(&child);
        let phantom = s.phantoms.contains(&child);
        let line = s
            .boms
            .get(&parent)
            .and_then(|(_, ls)| ls.iter().find(|l| l.component_id == child))
            .map(|l| l.scrap)
            .unwrap_or(0);
        lines.push(ExplosionLine {
            level,
            item_id: it.id,
            sku: it.sku.clone(),
            name: it.name.clone(),
            parent_id: parent,
            quantity_per: ceil6(per),
            total_quantity: ceil6(total),
            scrap: Qty::from_scaled(line),
            phantom,
            make,
        });
        if make {
            push_children(&s, child, total, level + 1, date, &mut pending);
        } else {
            *totals.entry(child).or_default() += total;
        }
    }
    let mut out_totals = Vec::new();
    for (id, t) in totals {
        let it = s.item(conn, id)?;
        out_totals.push(ExplosionTotal {
            item_id: id,
            sku: it.sku,
            total_quantity: ceil6(t),
        });
    }
    Ok(Explosion {
        item_id,
        quantity,
        date,
        lines,
        totals: out_totals,
    })
}

fn push_children(
    s: &Structure,
    parent: ItemId,
    qty: Decimal,
    level: u32,
    date: NaiveDate,
    pending: &mut Vec<(ItemId, ItemId, Decimal, Decimal, u32)>,
) {
    if let Some((b, ls)) = s.boms.get(&parent) {
        for l in ls.iter().rev().filter(|l| effective(l, date)) {
            let per = quantity_per(b, l);
            pending.push((parent, l.component_id, per, qty * per, level));
        }
    }
}

pub fn where_used(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
) -> Result<WhereUsed, AppError> {
    actor.require("mrp.master.read")?;
    let it = item::service::load(conn, actor, item_id)?;
    let mut s = Structure::load(conn, it.company_id)?;
    let mut parents_of: HashMap<ItemId, Vec<(ItemId, Decimal)>> = HashMap::new();
    for (b, ls) in s.boms.values() {
        for l in ls {
            parents_of
                .entry(l.component_id)
                .or_default()
                .push((b.item_id, quantity_per(b, l)));
        }
    }
    let mut lines = Vec::new();
    let mut frontier = vec![it.id];
    let mut seen = std::collections::HashSet::new();
    let mut level = 1;
    while !frontier.is_empty() && level <= MAX_DEPTH {
        let mut next = Vec::new();
        for child in &frontier {
            for (parent, per) in parents_of.get(child).cloned().unwrap_or_default() {
                let p = s.item(conn, parent)?;
                let (b, _) = &s.boms[&parent];
                lines.push(WhereUsedLine {
                    level,
                    item_id: p.id,
                    sku: p.sku.clone(),
                    bom_id: BomId::from_db(&b.id)?,
                    revision: b.revision.clone(),
                    quantity_per: ceil6(per),
                });
                if seen.insert(parent) {
                    next.push(parent);
                }
            }
        }
        frontier = next;
        level += 1;
    }
    Ok(WhereUsed { item_id, lines })
}

/// Cost of one unit of each item, rolled up through BOMs and routings.
pub struct CostModel<'a> {
    s: &'a mut Structure,
    rates: HashMap<WorkCenterId, Decimal>,
    memo: HashMap<ItemId, Decimal>,
}

impl<'a> CostModel<'a> {
    pub fn new(conn: &mut DbConnection, s: &'a mut Structure) -> Result<CostModel<'a>, AppError> {
        let rates = work_center::repo::list(conn, s.company_id)?
            .into_iter()
            .map(|w| (w.id, Price::from_scaled(w.cost_per_hour).value()))
            .collect();
        Ok(CostModel {
            s,
            rates,
            memo: HashMap::new(),
        })
    }

    /// Cost of a bought item (or a made one without a BOM): its standard cost, else the
    /// supplier price.
    fn bought(it: &Item) -> Decimal {
        if it.standard_cost != 0 {
            Money::from_scaled(it.standard_cost).value()
        } else {
            it.supplier_price
                .map_or(Decimal::ZERO, |p| Price::from_scaled(p).value())
        }
    }

    /// (material lines, operation lines) of one unit: (reference, quantity, unit cost).
    #[allow(clippy::type_complexity)]
    pub fn breakdown(
        &mut self,
        conn: &mut DbConnection,
        id: ItemId,
        depth: u32,
    ) -> Result<
        (
            Vec<(String, Decimal, Decimal)>,
            Vec<(String, Decimal, Decimal)>,
        ),
        AppError,
    > {
        let mut material = Vec::new();
        let mut operations = Vec::new();
        let Some((b, ls)) = self.s.boms.get(&id).cloned() else {
            return Ok((material, operations));
        };
        let output = Qty::from_scaled(b.output_quantity).value();
        for l in &ls {
            let per = quantity_per(&b, l);
            let unit = self.unit_cost(conn, l.component_id, depth + 1)?;
            let sku = self.s.item(conn, l.component_id)?.sku;
            material.push((sku, per, unit));
        }
        for o in planning_repo::routing_of(conn, id)? {
            let hours = Qty::from_scaled(o.setup_hours).value() / output
                + Qty::from_scaled(o.run_hours).value();
            let rate = self
                .rates
                .get(&o.work_center_id)
                .copied()
                .unwrap_or_default();
            operations.push((format!("{} {}", o.seq, o.name), hours, rate));
        }
        Ok((material, operations))
    }

    pub fn unit_cost(
        &mut self,
        conn: &mut DbConnection,
        id: ItemId,
        depth: u32,
    ) -> Result<Decimal, AppError> {
        if let Some(c) = self.memo.get(&id) {
            return Ok(*c);
        }
        if depth > MAX_DEPTH {
            return Err(MrpError::BomTooDeep(MAX_DEPTH).into());
        }
        let it = self.s.item(conn, id)?;
        let cost = if self.s.boms.contains_key(&id) {
            let (m, o) = self.breakdown(conn, id, depth)?;
            m.iter().chain(o.iter()).map(|(_, q, c)| q * c).sum()
        } else {
            Self::bought(&it)
        };
        self.memo.insert(id, cost);
        Ok(cost)
    }
}

fn money(d: Decimal) -> Money {
    Money::new(round_commercial(d, 4)).unwrap_or(Money::ZERO)
}

pub fn cost_rollup(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
) -> Result<CostRollup, AppError> {
    actor.require("mrp.master.read")?;
    let it = item::service::load(conn, actor, item_id)?;
    let mut s = Structure::load(conn, it.company_id)?;
    if !s.boms.contains_key(&it.id) {
        return Err(MrpError::NoActiveBom(it.sku.clone()).into());
    }
    let mut model = CostModel::new(conn, &mut s)?;
    let (material, operations) = model.breakdown(conn, it.id, 0)?;
    let mut lines = Vec::new();
    let (mut m_total, mut o_total) = (Decimal::ZERO, Decimal::ZERO);
    for (kind, list, total) in [
        ("material", &material, &mut m_total),
        ("operation", &operations, &mut o_total),
    ] {
        for (reference, q, c) in list {
            *total += q * c;
            lines.push(CostRollupLine {
                kind: kind.to_string(),
                reference: reference.clone(),
                quantity: ceil6(*q),
                unit_cost: money(*c),
                cost: money(q * c),
            });
        }
    }
    Ok(CostRollup {
        item_id,
        sku: it.sku.clone(),
        material_cost: money(m_total),
        operation_cost: money(o_total),
        unit_cost: money(m_total + o_total),
        current_standard_cost: Money::from_scaled(it.standard_cost),
        lines,
    })
}
