//! The revaluation run: every document and payment in another currency still open at a date,
//! valued at that date's rate; the differences posted to the receivables and payables
//! against unrealised gains and losses by one entry, reversed by another on the first day of
//! the next period, so later settlements realise their difference against the booked value.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use uuid::Uuid;

use super::dto::*;
use super::model::{RevaluationLineRow, RevaluationRow};
use super::repo;
use crate::allocation::model::AllocationRow;
use crate::currency::{rate_value, to_company};
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::ids::{InvoiceId, PaymentId, RevaluationId};
use crate::invoice::dto::InvoiceKind;
use crate::journal::dto::JournalKind;
use crate::payment::dto::PaymentKind;
use crate::rule::dto::PostingEvent;

const ENTITY: &str = "fin_revaluation";

fn to_response(
    row: &RevaluationRow,
    lines: &[RevaluationLineRow],
    currency: &str,
) -> Result<RevaluationResponse, AppError> {
    let m = Money::from_scaled;
    Ok(RevaluationResponse {
        id: row.id,
        date: row.revaluation_date,
        reverse_on: row.reverse_on,
        currency: currency.to_string(),
        gain: m(row.gain),
        loss: m(row.loss),
        entry_id: row.entry_id,
        reversal_entry_id: row.reversal_entry_id,
        lines: lines
            .iter()
            .filter(|l| l.revaluation_id == row.id)
            .map(|l| {
                Ok(RevaluationLine {
                    invoice_id: l.invoice_id,
                    payment_id: l.payment_id,
                    partner_id: l.partner_id,
                    currency: l.currency.clone(),
                    open_in_currency: m(l.open_in_currency),
                    exchange_rate: rate_value(l.exchange_rate),
                    booked: m(l.booked),
                    revalued: m(l.revalued),
                    difference: m(l.difference()),
                })
            })
            .collect::<Result<_, AppError>>()?,
        created_at: row.created_at.and_utc(),
    })
}

/// An item open in another currency at a date, before it is valued.
struct OpenItem {
    invoice_id: Option<InvoiceId>,
    payment_id: Option<PaymentId>,
    partner_id: PartnerId,
    branch_id: Option<BranchId>,
    currency: String,
    /// Receivable side (customer documents and receipts) or payable side.
    customer: bool,
    /// Debit-balance items (invoices, supplier debit notes, supplier payments) are +1; the
    /// others, which the open item account holds as credits, -1.
    sign: i64,
    open: i64,
    booked: i64,
}

/// Everything open in another currency than `own` at `at`: what is left of each document and
/// payment in its currency, and its booked value left in company currency.
fn open_items(
    conn: &mut DbConnection,
    company: CompanyId,
    own: &str,
    at: NaiveDate,
) -> Result<Vec<OpenItem>, AppError> {
    let kinds = [
        InvoiceKind::CustomerInvoice,
        InvoiceKind::CustomerCreditNote,
        InvoiceKind::SupplierBill,
        InvoiceKind::SupplierDebitNote,
    ]
    .map(|k| enum_to_db(&k));
    let allocations: Vec<AllocationRow> = crate::allocation::repo::until(conn, company, at)?;
    // Settled of each document, and taken from each note or payment: (currency, company).
    let mut settled: HashMap<InvoiceId, (i64, i64)> = HashMap::new();
    let mut used: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for a in &allocations {
        let s = settled.entry(a.invoice_id).or_default();
        *s = (s.0 + a.settled(), s.1 + a.settled_company);
        if let Some(src) = a
            .payment_id
            .map(Uuid::from)
            .or(a.credit_note_id.map(Uuid::from))
        {
            let u = used.entry(src).or_default();
            *u = (u.0 + a.amount, u.1 + a.amount_company);
        }
    }
    let mut out = Vec::new();
    for d in crate::invoice::repo::posted_until(conn, company, &kinds, at, None)? {
        if d.currency == own {
            continue;
        }
        let kind: InvoiceKind = erp_core::db::enum_from_db(&d.kind)?;
        let (done, done_company) = if kind.is_note() {
            used.get(&d.id.into()).copied().unwrap_or_default()
        } else {
            settled.get(&d.id).copied().unwrap_or_default()
        };
        let sign = match kind {
            InvoiceKind::CustomerInvoice | InvoiceKind::SupplierDebitNote => 1,
            InvoiceKind::CustomerCreditNote | InvoiceKind::SupplierBill => -1,
        };
        out.push(OpenItem {
            invoice_id: Some(d.id),
            payment_id: None,
            partner_id: d.partner_id,
            branch_id: d.branch_id,
            currency: d.currency.clone(),
            customer: kind.is_customer(),
            sign,
            open: d.total - done,
            booked: d.total_company - done_company,
        });
    }
    for (kind, sign) in [
        (PaymentKind::CustomerReceipt, -1),
        (PaymentKind::SupplierPayment, 1),
    ] {
        for p in crate::payment::repo::posted_until(conn, company, &enum_to_db(&kind), at, None)? {
            if p.currency == own {
                continue;
            }
            let (done, done_company) = used.get(&p.id.into()).copied().unwrap_or_default();
            out.push(OpenItem {
                invoice_id: None,
                payment_id: Some(p.id),
                partner_id: p.partner_id,
                branch_id: p.branch_id,
                currency: p.currency.clone(),
                customer: kind.is_customer(),
                sign,
                open: p.amount - done,
                booked: p.amount_company - done_company,
            });
        }
    }
    out.retain(|i| i.open != 0);
    Ok(out)
}

/// Runs a revaluation at `req.date`. 409 `revaluation_in_force` when another run is in force
/// at any time this one would be, 409 `nothing_to_revalue` when no difference arises; 422 on
/// `date` when a currency has no rate.
pub fn run(
    conn: &mut DbConnection,
    actor: &Actor,
    req: RunRevaluationRequest,
) -> Result<RevaluationResponse, AppError> {
    actor.require(crate::entry::service::POST)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let own = crate::entry::service::company_currency(conn, company)?;
        let date = req.date;
        let reverse_on = reversal_date(conn, company, date, req.reverse_on)?;
        let id = RevaluationId::new();
        let Differences {
            mut entry,
            lines,
            by_branch,
            gain,
            loss,
        } = differences(conn, company, &own, date, id)?;
        if lines.is_empty() {
            return Err(AppError::conflict(
                "nothing_to_revalue",
                format!("nothing open in another currency changes value at the rates of {date}"),
            ));
        }
        book_gains_and_losses(conn, company, &mut entry, by_branch)?;
        let entry = entry.post(
            conn,
            actor,
            JournalKind::General,
            date,
            format!("Unrealised exchange differences at {date}"),
            (ENTITY, id),
        )?;
        let reversal = crate::entry::service::reverse(
            conn,
            actor,
            entry.id,
            Some(reverse_on),
            Some(format!(
                "Reversal of the unrealised exchange differences at {date}"
            )),
        )?;
        let row = RevaluationRow {
            id,
            company_id: company,
            revaluation_date: date,
            reverse_on,
            entry_id: entry.id,
            reversal_entry_id: reversal.id,
            gain,
            loss,
            created_by: actor.user_id,
            created_at: now(),
        };
        repo::insert(conn, &row, &lines)?;
        let out = to_response(&row, &lines, &own)?;
        audit::record(conn, actor, ENTITY, id, Change::Created(&out))?;
        Ok(out)
    })
}

/// When the differences are reversed: the day asked for, or the first day after the period
/// of `date`; after `date`, and with no other revaluation in force in between (409).
fn reversal_date(
    conn: &mut DbConnection,
    company: CompanyId,
    date: NaiveDate,
    asked: Option<NaiveDate>,
) -> Result<NaiveDate, AppError> {
    let reverse_on = match asked {
        Some(d) => d,
        None => crate::period::repo::covering(conn, company, date)?
            .and_then(|p| p.ends_on.checked_add_days(Days::new(1)))
            .ok_or_else(|| AppError::field("date", "no fiscal period covers the date"))?,
    };
    if reverse_on <= date {
        return Err(AppError::field("reverse_on", "must be after the date"));
    }
    if let Some(r) = repo::overlapping(conn, company, date, reverse_on)? {
        return Err(AppError::conflict(
            "revaluation_in_force",
            format!(
                "the revaluation of {} is in force until {}; a second one at the same time would count its differences twice",
                r.revaluation_date, r.reverse_on
            ),
        ));
    }
    Ok(reverse_on)
}

/// What the open items are worth at the date, against what they were booked at.
struct Differences {
    /// The open item accounts' changes, per partner and branch.
    entry: EntryBuilder,
    lines: Vec<RevaluationLineRow>,
    /// Per branch: the gains and the losses.
    by_branch: BTreeMap<Option<BranchId>, (i64, i64)>,
    gain: i64,
    loss: i64,
}

/// Values every item open in another currency at the date's rate (one rate lookup per
/// currency) and books each change to its receivable or payable.
fn differences(
    conn: &mut DbConnection,
    company: CompanyId,
    own: &str,
    date: NaiveDate,
    id: RevaluationId,
) -> Result<Differences, AppError> {
    let receivable =
        crate::rule::service::required_account(conn, company, PostingEvent::SalesReceivable)?;
    let payable =
        crate::rule::service::required_account(conn, company, PostingEvent::PurchasePayable)?;
    let mut rates: BTreeMap<String, i64> = BTreeMap::new();
    let mut out = Differences {
        entry: EntryBuilder::new(),
        lines: Vec::new(),
        by_branch: BTreeMap::new(),
        gain: 0,
        loss: 0,
    };
    for item in open_items(conn, company, own, date)? {
        let rate = match rates.get(&item.currency) {
            Some(r) => *r,
            None => {
                let r = crate::rate::service::document_rate(
                    conn,
                    company,
                    own,
                    &item.currency,
                    date,
                    "date",
                )?;
                rates.insert(item.currency.clone(), r);
                r
            }
        };
        let revalued = to_company(item.open, rate, own)?;
        let change = item.sign * (revalued - item.booked);
        if change == 0 {
            continue;
        }
        out.entry.add(
            if item.customer { receivable } else { payable },
            Dimensions {
                branch_id: item.branch_id,
                partner_id: Some(item.partner_id),
                ..Default::default()
            },
            change,
        );
        // A debit to the open item (more owed to us, less owed by us) is a gain.
        let r = out.by_branch.entry(item.branch_id).or_default();
        if change > 0 {
            r.0 += change;
            out.gain += change;
        } else {
            r.1 -= change;
            out.loss -= change;
        }
        out.lines.push(RevaluationLineRow {
            revaluation_id: id,
            line_no: out.lines.len() as i32 + 1,
            invoice_id: item.invoice_id,
            payment_id: item.payment_id,
            partner_id: item.partner_id,
            currency: item.currency,
            open_in_currency: item.open,
            exchange_rate: rate,
            booked: item.booked,
            revalued,
        });
    }
    Ok(out)
}

/// The other side of the changes: per branch, the gains to unrealised exchange gain and the
/// losses to unrealised exchange loss.
fn book_gains_and_losses(
    conn: &mut DbConnection,
    company: CompanyId,
    entry: &mut EntryBuilder,
    by_branch: BTreeMap<Option<BranchId>, (i64, i64)>,
) -> Result<(), AppError> {
    let account = |conn: &mut DbConnection, event| {
        crate::rule::service::required_account(conn, company, event)
    };
    let gains = account(conn, PostingEvent::UnrealisedExchangeGain)?;
    let losses = account(conn, PostingEvent::UnrealisedExchangeLoss)?;
    for (branch, (g, l)) in by_branch {
        let dims = Dimensions {
            branch_id: branch,
            ..Default::default()
        };
        if g > 0 {
            entry.add(gains, dims.clone(), -g);
        }
        if l > 0 {
            entry.add(losses, dims, l);
        }
    }
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    id: RevaluationId,
) -> Result<RevaluationResponse, AppError> {
    actor.require(crate::entry::service::READ)?;
    let company = actor.company_id;
    let row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("revaluation"))?;
    let lines = repo::lines_of(conn, std::slice::from_ref(&row.id))?;
    to_response(
        &row,
        &lines,
        &crate::entry::service::company_currency(conn, company)?,
    )
}

pub fn list(conn: &mut DbConnection, actor: &Actor) -> Result<RevaluationList, AppError> {
    actor.require(crate::entry::service::READ)?;
    let company = actor.company_id;
    let rows = repo::list(conn, company)?;
    let ids: Vec<RevaluationId> = rows.iter().map(|r| r.id).collect();
    let lines = repo::lines_of(conn, &ids)?;
    let currency = crate::entry::service::company_currency(conn, company)?;
    Ok(RevaluationList {
        items: rows
            .iter()
            .map(|r| to_response(r, &lines, &currency))
            .collect::<Result<_, _>>()?,
    })
}

/// What the runs in force at `at` changed of each document's and payment's value in company
/// currency, by id: the aging adds it, so it agrees with the ledger between a run and its
/// reversal.
pub fn in_force_differences(
    conn: &mut DbConnection,
    company: CompanyId,
    at: NaiveDate,
) -> Result<HashMap<Uuid, i64>, AppError> {
    let Some(run) = repo::in_force(conn, company, at)? else {
        return Ok(HashMap::new());
    };
    let mut out = HashMap::new();
    for l in repo::lines_of(conn, std::slice::from_ref(&run.id))? {
        if let Some(id) = l
            .invoice_id
            .map(Uuid::from)
            .or(l.payment_id.map(Uuid::from))
        {
            out.insert(id, l.difference());
        }
    }
    Ok(out)
}
