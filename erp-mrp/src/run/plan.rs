//! Reading and acting on the current plan: MRP records, planned orders and their pegging;
//! firming, changing and releasing planned orders. Messages are in `messages.rs`, reports
//! in `reports.rs`.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx_retrying, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use erp_inventory::ids::ItemId;
use erp_inventory::item;

use super::dto::*;
use super::form::StoredRecord;
use super::horizon::Horizon;
use super::orders::{self, Found};
use super::{repo, service};
use crate::error::MrpError;
use crate::ids::{PlannedOrderId, RunId};
use crate::model::{ItemPlan, PlannedOrderRow};
use crate::util::scaled;

const ENTITY: &str = "planned_order";

/// SKUs of items, each read once per request (lists name the same items many times).
pub(super) struct Skus {
    company_id: CompanyId,
    known: HashMap<ItemId, String>,
}

impl Skus {
    pub(super) fn new(company_id: CompanyId) -> Skus {
        Skus {
            company_id,
            known: HashMap::new(),
        }
    }

    /// Reads the SKUs of these items in one query.
    fn preload<'a>(
        &mut self,
        conn: &mut DbConnection,
        item_ids: impl Iterator<Item = &'a ItemId>,
    ) -> Result<(), AppError> {
        let ids =
            erp_core::ids::distinct(item_ids.filter(|i| !self.known.contains_key(*i)).copied());
        for chunk in ids.chunks(500) {
            self.known
                .extend(item::repo::skus(conn, self.company_id, chunk)?);
        }
        Ok(())
    }

    pub(super) fn get(
        &mut self,
        conn: &mut DbConnection,
        item_id: ItemId,
    ) -> Result<String, AppError> {
        if let Some(s) = self.known.get(&item_id) {
            return Ok(s.clone());
        }
        let sku = item::repo::find(conn, item_id, self.company_id)?
            .map(|i| i.sku)
            .unwrap_or_default();
        self.known.insert(item_id, sku.clone());
        Ok(sku)
    }
}

pub fn order_response(
    conn: &mut DbConnection,
    o: &PlannedOrderRow,
) -> Result<PlannedOrderResponse, AppError> {
    order_response_with(conn, o, &mut Skus::new(o.company_id))
}

fn order_response_with(
    conn: &mut DbConnection,
    o: &PlannedOrderRow,
    skus: &mut Skus,
) -> Result<PlannedOrderResponse, AppError> {
    Ok(PlannedOrderResponse {
        id: PlannedOrderId::from_db(&o.id)?,
        item_id: o.item_id,
        sku: skus.get(conn, o.item_id)?,
        kind: o.kind,
        status: o.status,
        quantity: Qty::from_scaled(o.quantity),
        release_date: o.release_date,
        due_date: o.due_date,
        past_due: o.past_due,
        run_id: RunId::from_db_opt(o.run_id.as_deref())?,
        version: o.version,
    })
}

/// An item's stored plan as its MRP record, over the buckets of `horizon`.
pub(super) fn record_of(
    plan: &ItemPlan,
    sku: String,
    lead_time_days: Option<i32>,
    safety_stock: i64,
    horizon: &Horizon,
) -> Result<MrpRecordResponse, AppError> {
    let stored = StoredRecord::parse(&plan.record)?;
    let [g, s, poh, net, pr, rel] = [0, 1, 2, 3, 4, 5].map(|r| stored.row(r));
    let on_hand = poh[0] - s[0] - pr[0] + g[0];
    let q = Qty::from_scaled;
    let buckets = (0..g.len())
        .map(|b| RecordBucket {
            bucket: b as u32,
            start_date: horizon.bucket_start(b),
            gross_requirements: q(g[b]),
            scheduled_receipts: q(s[b]),
            projected_on_hand: q(poh[b]),
            net_requirements: q(net[b]),
            planned_order_receipts: q(pr[b]),
            planned_order_releases: q(rel[b]),
        })
        .collect();
    Ok(MrpRecordResponse {
        item_id: plan.item_id,
        sku,
        run_id: RunId::from_db(&plan.run_id)?,
        low_level_code: plan.low_level_code,
        on_hand: q(on_hand),
        safety_stock: Qty::from_scaled(safety_stock),
        lead_time_days,
        past_due_releases: q(stored.past_due()),
        buckets,
    })
}

/// The MRP record of an item from the current plan.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
) -> Result<MrpRecordResponse, AppError> {
    actor.require("mrp.plan.read")?;
    let it = item::service::load(conn, actor, item_id)?;
    let plan =
        repo::item_plan(conn, it.id)?.ok_or_else(|| MrpError::ItemNotPlanned(it.sku.clone()))?;
    let run =
        repo::find_run(conn, &plan.run_id, it.company_id)?.ok_or(AppError::NotFound("mrp_run"))?;
    let horizon = service::horizon_of(&run)?;
    let planning = crate::planning::repo::find(conn, it.id)?;
    record_of(
        &plan,
        it.sku.clone(),
        it.lead_time_days,
        planning.map_or(0, |p| p.safety_stock),
        &horizon,
    )
}

pub fn list_planned_orders(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PlannedOrderQuery,
) -> Result<PlannedOrderPage, AppError> {
    actor.require("mrp.plan.read")?;
    let page = params.validate()?;
    item::service::check_filter(conn, actor, q.item_id)?;
    let filter = repo::PlannedOrderFilter {
        item_id: q.item_id,
        kind: q.kind,
        status: q.status,
        release_until: q.release_until,
    };
    let rows = orders::page(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |o| &o.id);
    let mut skus = Skus::new(actor.company_id);
    skus.preload(conn, rows.iter().map(|o| &o.item_id))?;
    let items = rows
        .iter()
        .map(|o| order_response_with(conn, o, &mut skus))
        .collect::<Result<_, _>>()?;
    Ok(PlannedOrderPage { items, next_cursor })
}

fn load_order(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Found, AppError> {
    orders::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound(ENTITY))
}

/// A planned order and, level by level, the demands it serves up to the end items.
pub fn pegging(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PlannedOrderId,
) -> Result<PeggedOrder, AppError> {
    actor.require("mrp.plan.read")?;
    let o = load_order(conn, actor, &id.to_string())?;
    pegged(conn, &o, 0)
}

fn pegged(conn: &mut DbConnection, found: &Found, depth: u32) -> Result<PeggedOrder, AppError> {
    let o = found.row();
    let order = order_response(conn, &o)?;
    let rows = found.pegs()?;
    let mut pegs = Vec::new();
    for p in rows {
        let mut peg = PegResponse {
            source_type: p.source_type.clone(),
            source_id: p.source_id.clone(),
            quantity: Qty::from_scaled(p.quantity),
            parent: None,
            demand_kind: None,
            due_date: None,
        };
        match p.source_type.as_str() {
            "planned_order" if depth < 64 => {
                let parent = orders::by_ordinal(
                    conn,
                    o.company_id,
                    ItemId::from_db(&p.source_id)?,
                    p.parent_ordinal.unwrap_or(-1),
                )?;
                if let Some(parent) = parent {
                    let row = parent.row();
                    peg.source_id = row.id.clone();
                    peg.due_date = Some(row.release_date);
                    peg.parent = Some(Box::new(pegged(conn, &parent, depth + 1)?));
                }
            }
            "demand" => {
                if let Some((kind, due)) = repo::demand_kind_and_due(conn, &p.source_id)? {
                    peg.demand_kind = Some(kind);
                    peg.due_date = Some(due);
                }
            }
            "production_order" => {
                peg.due_date = repo::production_start(conn, &p.source_id)?;
            }
            _ => {}
        }
        pegs.push(peg);
    }
    Ok(PeggedOrder { order, pegs })
}

pub fn get_planned_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PlannedOrderId,
) -> Result<PlannedOrderResponse, AppError> {
    actor.require("mrp.plan.read")?;
    let o = load_order(conn, actor, &id.to_string())?;
    order_response(conn, &o.row())
}

/// Firms a planned order, changing its quantity or dates if asked: the run keeps it.
pub fn firm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PlannedOrderId,
    expected: Option<i64>,
    req: ChangePlannedOrderRequest,
) -> Result<PlannedOrderResponse, AppError> {
    actor.require("mrp.plan.write")?;
    if req.quantity.is_some_and(|q| q <= Qty::ZERO) {
        return Err(AppError::field("quantity", "must be greater than zero"));
    }
    write_tx_retrying(conn, |conn| {
        let found = load_order(conn, actor, &id.to_string())?;
        let mut o = found.row();
        if expected.is_some_and(|e| e != o.version) {
            return Err(AppError::VersionMismatch { current: o.version });
        }
        if o.kind == PlannedOrderKind::Phantom {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "firm",
                current: o.kind.to_string(),
            });
        }
        let before = order_response(conn, &o)?;
        if let Some(q) = req.quantity {
            o.quantity = scaled(q, "quantity")?;
        }
        if let Some(d) = req.due_date {
            let lead = item::repo::find(conn, o.item_id, o.company_id)?
                .and_then(|i| i.lead_time_days)
                .unwrap_or(0);
            o.due_date = d;
            o.release_date = crate::util::add_days(d, -i64::from(lead.max(0)));
        }
        if let Some(r) = req.release_date {
            o.release_date = r;
        }
        if o.release_date > o.due_date {
            return Err(AppError::field(
                "release_date",
                "must not be after the due date",
            ));
        }
        o.status = PlannedOrderStatus::Firm;
        o.past_due = o.release_date < chrono::Utc::now().date_naive();
        let expected_version = o.version;
        o.version += 1;
        o.updated_at = now();
        // A firm order leaves the engine's numbering: the next run plans around it.
        o.ordinal = -1;
        match found {
            Found::Row(_) => {
                if repo::save_firm(conn, &o, expected_version)? != 1 {
                    return Err(AppError::VersionMismatch {
                        current: expected_version + 1,
                    });
                }
            }
            // An order of the run's plan leaves it and becomes a row of its own.
            placed @ Found::Placed(..) => {
                o.pegs = serde_json::to_string(&placed.pegs()?)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                placed.take(conn)?;
                repo::insert_planned_orders(conn, std::slice::from_ref(&o))?;
            }
        }
        let after = order_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Releases a planned order: a production order for a made item, a draft purchase order for a
/// bought one. The planned order is gone from the plan; the document takes its place.
pub fn release(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PlannedOrderId,
    req: ReleasePlannedOrderRequest,
) -> Result<ReleaseResult, AppError> {
    actor.require("mrp.plan.write")?;
    write_tx_retrying(conn, |conn| {
        let found = load_order(conn, actor, &id.to_string())?;
        let o = found.row();
        if o.kind == PlannedOrderKind::Phantom {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "release",
                current: o.kind.to_string(),
            });
        }
        let item_id = o.item_id;
        let result = if o.kind == PlannedOrderKind::Make {
            let p = crate::production::service::create_production_order(
                conn,
                actor,
                crate::production::dto::CreateProductionOrderRequest {
                    id: None,
                    item_id,
                    quantity: Qty::from_scaled(o.quantity),
                    location_id: req.location_id,
                    start_date: Some(o.release_date.max(chrono::Utc::now().date_naive())),
                    due_date: o.due_date,
                    backflush: None,
                    notes: Some(format!("released from planned order {}", o.id)),
                },
                Some(o.id.clone()),
            )?;
            ReleaseResult {
                document_type: "production_order".into(),
                document_id: p.id.0,
                number: p.number,
            }
        } else {
            let it = item::repo::find(conn, o.item_id, o.company_id)?
                .ok_or(AppError::NotFound("item"))?;
            let supplier = match req.supplier_id {
                Some(s) => s,
                None => it.default_supplier_id.ok_or_else(|| {
                    AppError::field("supplier_id", "the item has no default supplier: name one")
                })?,
            };
            let listed = erp_inventory::purchase::price::price_for(
                conn,
                o.company_id,
                supplier,
                &it,
                o.quantity,
            )?;
            let price = match (req.unit_price, listed) {
                (Some(p), _) => Some(p),
                (None, Some(_)) => None,
                (None, None) => it
                    .supplier_price
                    .map(erp_core::money::Price::from_scaled)
                    .or((it.standard_cost > 0).then(|| {
                        erp_core::money::Price::new(
                            erp_core::money::Money::from_scaled(it.standard_cost).value(),
                        )
                        .unwrap_or(erp_core::money::Price::ZERO)
                    })),
            };
            let (_, warehouse) =
                erp_inventory::warehouse::service::load_location(conn, actor, req.location_id)
                    .map_err(|_| AppError::field("location_id", "no such location"))?;
            let p = erp_inventory::purchase::service::create_purchase_order(
                conn,
                actor,
                erp_inventory::purchase::dto::CreatePurchaseOrderRequest {
                    id: None,
                    supplier_id: supplier,
                    warehouse_id: warehouse.id,
                    currency: None,
                    order_date: None,
                    expected_date: Some(o.due_date),
                    over_receipt_tolerance: None,
                    notes: Some(format!("released from planned order {}", o.id)),
                    lines: vec![erp_inventory::purchase::dto::PurchaseOrderLineInput {
                        item_id,
                        quantity: Qty::from_scaled(o.quantity),
                        uom_id: None,
                        unit_price: price,
                        expected_date: Some(o.due_date),
                    }],
                },
            )?;
            ReleaseResult {
                document_type: "purchase_order".into(),
                document_id: p.id.0,
                number: p.number,
            }
        };
        let before = order_response(conn, &o)?;
        found.take(conn)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("release", Some(&before)),
        )?;
        Ok(result)
    })
}
