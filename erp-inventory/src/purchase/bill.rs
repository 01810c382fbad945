//! Billing a purchase order: a supplier bill in finance, matched three ways (what was
//! ordered, received and billed). Each line clears the goods received not invoiced at the
//! order's price; what the supplier charges more or less is a price difference. A bill whose
//! price or quantity is outside the company's tolerances is kept held with the reasons until
//! someone releases it. The order is taken first, so concurrent bills never bill a quantity
//! twice.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use erp_finance::ids::InvoiceId;
use erp_finance::invoice::dto::{
    CreateInvoiceRequest, InvoiceKind, InvoiceLineInput, InvoiceResponse,
};
use erp_finance::invoice::service as finance_invoice;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::dto::{BillOrderLine, BillPurchaseOrderRequest};
use super::repo::{self, BillLine, PurchaseOrder, PurchaseOrderLine};
use super::service::{load, ENTITY};
use crate::error::InventoryError;
use crate::ids::PurchaseOrderId;
use crate::purchase::dto::PurchaseOrderStatus;
use crate::warehouse::service::load_visible;

/// One line to bill: the order line, the quantity and the supplier's price (×10⁶).
struct Billed<'a> {
    line: &'a PurchaseOrderLine,
    quantity: i64,
    price: i64,
}

fn pick<'a>(
    lines: &'a [PurchaseOrderLine],
    before: &HashMap<i32, i64>,
    given: Option<&[BillOrderLine]>,
) -> Result<Vec<Billed<'a>>, AppError> {
    let Some(given) = given else {
        return Ok(lines
            .iter()
            .map(|l| Billed {
                line: l,
                quantity: l.received_quantity - before.get(&l.line_no).copied().unwrap_or(0),
                price: l.unit_price,
            })
            .filter(|b| b.quantity > 0)
            .collect());
    };
    let mut v = Validator::new();
    let mut out: Vec<Billed> = Vec::new();
    for (i, g) in given.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let Some(line) = lines.iter().find(|l| l.line_no == g.line_no) else {
            v.add(f("line_no"), "no such line");
            continue;
        };
        if out.iter().any(|b| b.line.line_no == g.line_no) {
            v.add(f("line_no"), "the line is named twice");
            continue;
        }
        let quantity = g.quantity.to_scaled().unwrap_or(0);
        v.check(quantity > 0, &f("quantity"), "must be more than zero");
        let price = match g.unit_price {
            Some(p) => p.to_scaled().unwrap_or(-1),
            None => line.unit_price,
        };
        v.check(price >= 0, &f("unit_price"), "must not be negative");
        out.push(Billed {
            line,
            quantity,
            price,
        });
    }
    v.finish()?;
    Ok(out)
}

/// The value in company currency of goods received a bill of `b` clears, `done` billed
/// before and `cleared` cleared by those bills: the line's received value in proportion, and
/// all that is left when the bill takes the last of what was received.
fn received_share(b: &Billed, done: i64, cleared: Option<i64>) -> Decimal {
    let line = b.line;
    let scaled = if done + b.quantity >= line.received_quantity {
        line.received_value - cleared.unwrap_or(0)
    } else {
        (Decimal::from(b.quantity) * Decimal::from(line.received_value)
            / Decimal::from(line.received_quantity.max(1)))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0)
    };
    Decimal::new(scaled, 4)
}

/// The three-way match of one line: why it is outside the tolerances (percent ×10⁴), if it is.
fn mismatch(b: &Billed, before: i64, price_tol: i64, quantity_tol: i64) -> Vec<String> {
    let pct = |x: i64| Decimal::new(x, 4) / Decimal::ONE_HUNDRED;
    let mut out = Vec::new();
    let n = b.line.line_no;
    let billed = Decimal::new(before + b.quantity, 6);
    let received = Decimal::new(b.line.received_quantity, 6);
    if billed > received * (Decimal::ONE + pct(quantity_tol)) {
        out.push(format!(
            "line {n}: bills {} in all, {} received",
            billed.normalize(),
            received.normalize()
        ));
    }
    let (price, ordered) = (Decimal::new(b.price, 6), Decimal::new(b.line.unit_price, 6));
    if (price - ordered).abs() > ordered * pct(price_tol) {
        out.push(format!(
            "line {n}: price {} against {} ordered",
            price.normalize(),
            ordered.normalize()
        ));
    }
    out
}

/// Bills the order (201 with the supplier bill). Needs `inventory.purchase.write` and
/// `finance.invoice.write` (and `finance.invoice.post` to post at once).
pub fn bill_purchase_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
    req: BillPurchaseOrderRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require("inventory.purchase.write")?;
    actor.require(finance_invoice::WRITE)?;
    let mut v = Validator::new();
    v.text("reference", &req.reference, 128);
    v.finish()?;
    write_tx_retrying(conn, |conn| {
        let mut o: PurchaseOrder = load(conn, actor, &id.to_string())?;
        if o.status == PurchaseOrderStatus::Draft {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "bill",
                current: o.status.to_string(),
            });
        }
        let own = erp_finance::entry::service::company_currency(conn, o.company_id)?;
        if !repo::claim(conn, &o.id, o.version)? {
            return Err(AppError::Contended);
        }
        o.version += 1;
        let lines = repo::lines_of(conn, &o.id)?;
        let before = Before::of(conn, &o.id)?;
        let picked = pick(&lines, &before.quantity, req.lines.as_deref())?;
        if o.currency != own {
            check_received(&o, &picked, &before.quantity)?;
        }
        if picked.is_empty() {
            return Err(InventoryError::NothingToBill.into());
        }
        let Lines {
            inputs: bill_lines,
            cleared,
            reasons,
        } = Lines::of(conn, actor, &o, &own, &req, &picked, &before)?;
        let warehouse = load_visible(conn, actor, o.warehouse_id)?;
        let bill = finance_invoice::create_invoice(
            conn,
            actor,
            CreateInvoiceRequest {
                id: None,
                kind: InvoiceKind::SupplierBill,
                partner_id: o.supplier_id,
                branch_id: Some(warehouse.branch_id),
                invoice_date: req
                    .invoice_date
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
                due_date: req.due_date,
                payment_terms_id: req.payment_terms_id,
                currency: Some(o.currency.clone()),
                reference: Some(req.reference.trim().to_string()),
                notes: Some(format!("Purchase order {}", o.number)),
                corrects_id: None,
                hold_reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
                lines: bill_lines,
                post: req.post,
            },
        )?;
        let links: Vec<BillLine> = picked
            .iter()
            .zip(cleared)
            .map(|(b, cleared)| BillLine {
                invoice_id: bill.id,
                order_id: o.id.clone(),
                line_no: b.line.line_no,
                quantity: b.quantity,
                cleared,
            })
            .collect();
        repo::insert_bill_lines(conn, &links)?;
        let out = super::service::to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("bill", Some(&out)),
        )?;
        Ok(bill)
    })
}

/// Goods of an order in another currency are on their account at the rates of the days they
/// came: a bill clears what was received, never more.
fn check_received(
    o: &PurchaseOrder,
    picked: &[Billed],
    before: &HashMap<i32, i64>,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    for (i, b) in picked.iter().enumerate() {
        let done = before.get(&b.line.line_no).copied().unwrap_or(0);
        if done + b.quantity > b.line.received_quantity {
            v.add(
                format!("lines[{i}].quantity"),
                format!(
                    "the order is in {}: bill what is received ({} received, {} billed)",
                    o.currency,
                    Qty::from_scaled(b.line.received_quantity),
                    Qty::from_scaled(done)
                ),
            );
        }
    }
    v.finish()
}

/// What the bills of an order that still stand have billed, per order line.
struct Before {
    /// The quantity billed.
    quantity: HashMap<i32, i64>,
    /// What they cleared of the line's goods received not invoiced.
    cleared: HashMap<i32, i64>,
}

impl Before {
    fn of(conn: &mut DbConnection, order_id: &str) -> Result<Before, AppError> {
        let (quantity, bills) = super::service::billed(conn, order_id)?;
        let standing: Vec<InvoiceId> = bills.iter().map(|b| b.id).collect();
        let mut cleared: HashMap<i32, i64> = HashMap::new();
        for l in repo::bill_lines_of(conn, order_id)? {
            if standing.contains(&l.invoice_id) {
                *cleared.entry(l.line_no).or_default() += l.cleared;
            }
        }
        Ok(Before { quantity, cleared })
    }
}

/// The bill's lines, what each clears of the goods received not invoiced, and why the bill
/// is held (prices or quantities outside the company's tolerances).
struct Lines {
    inputs: Vec<InvoiceLineInput>,
    cleared: Vec<i64>,
    reasons: Vec<String>,
}

impl Lines {
    fn of(
        conn: &mut DbConnection,
        actor: &Actor,
        o: &PurchaseOrder,
        own: &str,
        req: &BillPurchaseOrderRequest,
        picked: &[Billed],
        before: &Before,
    ) -> Result<Lines, AppError> {
        let settings = erp_finance::settings::service::of_company(conn, o.company_id)?;
        let mut out = Lines {
            inputs: Vec::with_capacity(picked.len()),
            cleared: Vec::with_capacity(picked.len()),
            reasons: Vec::new(),
        };
        for b in picked {
            let done = before.quantity.get(&b.line.line_no).copied().unwrap_or(0);
            out.reasons.extend(mismatch(
                b,
                done,
                settings.match_price_tolerance,
                settings.match_quantity_tolerance,
            ));
            let item = crate::item::service::load(conn, actor, b.line.item_id)?;
            let clears = if o.currency == own {
                // The goods received are on their account at the order's price, to the
                // ledger's fourth place.
                (Decimal::new(b.quantity, 6) * Decimal::new(b.line.unit_price, 6))
                    .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
            } else {
                received_share(b, done, before.cleared.get(&b.line.line_no).copied())
            };
            out.cleared.push(Money::new(clears)?.to_scaled()?);
            out.inputs.push(InvoiceLineInput {
                description: format!("{} {}", item.sku, item.name),
                account_id: None,
                quantity: Qty::from_scaled(b.quantity),
                unit_price: Price::from_scaled(b.price),
                discount_percent: None,
                tax_id: req.tax_id,
                tax_group_id: req.tax_group_id,
                cost_center: None,
                project: None,
                clears: Some(Money::new(clears)?),
            });
        }
        Ok(out)
    }
}
