//! The aging and the partner statement, from documents, payments and allocations dated up to
//! the date asked: both agree with the receivable (payable) account of the ledger.
//! A partner's statement between two dates is in `statement.rs`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::filter;
use erp_core::ids::BranchId;
use erp_core::ids::CompanyId;
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use erp_core::partner;
use uuid::Uuid;

use super::dto::*;
use crate::allocation::model::AllocationRow;
use crate::ids::InvoiceId;
use crate::invoice::dto::InvoiceKind;
use crate::invoice::model::InvoiceRow;
use crate::payment::dto::PaymentKind;
use crate::payment::model::PaymentRow;
use crate::report::service::READ;
use crate::terms::instalment::{in_company_currency, open_parts, schedule};

pub use super::statement::*;

/// The document kinds and payment kind of a side.
pub(super) fn kinds(side: Side) -> (Vec<String>, String) {
    let (doc, note, pay) = match side {
        Side::Receivable => (
            InvoiceKind::CustomerInvoice,
            InvoiceKind::CustomerCreditNote,
            PaymentKind::CustomerReceipt,
        ),
        Side::Payable => (
            InvoiceKind::SupplierBill,
            InvoiceKind::SupplierDebitNote,
            PaymentKind::SupplierPayment,
        ),
    };
    (vec![enum_to_db(&doc), enum_to_db(&note)], enum_to_db(&pay))
}

pub(super) fn is_note(row: &InvoiceRow) -> bool {
    row.kind.ends_with("_note")
}

/// Documents and payments of a side up to `at`, those the actor may see, and the
/// allocations up to `at`.
pub(super) struct Book {
    pub(super) invoices: Vec<InvoiceRow>,
    pub(super) payments: Vec<PaymentRow>,
    pub(super) allocations: Vec<AllocationRow>,
}

/// Whose view of the books: a person's (the branches they see), or the partner's own (all of
/// its documents, whichever branch issued them: the portal).
#[derive(Clone, Copy)]
pub enum Viewer<'a> {
    Person(&'a Actor),
    Partner,
}

impl Viewer<'_> {
    pub(super) fn sees(self, branch: Option<BranchId>) -> bool {
        match self {
            Viewer::Person(actor) => actor.sees_record_in(branch),
            Viewer::Partner => true,
        }
    }
}

pub(super) fn read_book(
    conn: &mut DbConnection,
    company: CompanyId,
    viewer: Viewer,
    side: Side,
    at: NaiveDate,
    partner_id: Option<PartnerId>,
) -> Result<Book, AppError> {
    let (doc_kinds, pay_kind) = kinds(side);
    let mut invoices =
        crate::invoice::repo::posted_until(conn, company, &doc_kinds, at, partner_id)?;
    let doc_ids: Vec<InvoiceId> = invoices.iter().map(|r| r.id).collect();
    invoices.retain(|r| viewer.sees(r.branch_id));
    let mut payments =
        crate::payment::repo::posted_until(conn, company, &pay_kind, at, partner_id)?;
    payments.retain(|r| viewer.sees(r.branch_id));
    let allocations = match partner_id {
        // Read before the branch filter: a payment may settle a document the viewer does not see.
        Some(_) => crate::allocation::repo::until_for(conn, company, at, &doc_ids)?,
        None => crate::allocation::repo::until(conn, company, at)?,
    };
    Ok(Book {
        invoices,
        payments,
        allocations,
    })
}

pub(super) fn bucket(b: &mut AgingBuckets, days_overdue: i64, open: i64) -> Result<(), AppError> {
    let slot = match days_overdue {
        d if d <= 0 => &mut b.current,
        1..=30 => &mut b.days_1_30,
        31..=60 => &mut b.days_31_60,
        61..=90 => &mut b.days_61_90,
        _ => &mut b.over_90,
    };
    *slot = Money::from_scaled(slot.to_scaled()? + open);
    b.open_total = Money::from_scaled(b.open_total.to_scaled()? + open);
    Ok(())
}

pub(super) fn add_credit(b: &mut AgingBuckets, credit: i64) -> Result<(), AppError> {
    b.unapplied_credit = Money::from_scaled(b.unapplied_credit.to_scaled()? + credit);
    Ok(())
}

pub(super) fn settle_balance(b: &mut AgingBuckets) -> Result<(), AppError> {
    b.balance = Money::from_scaled(b.open_total.to_scaled()? - b.unapplied_credit.to_scaled()?);
    Ok(())
}

pub(super) fn partner_name(
    conn: &mut DbConnection,
    company: CompanyId,
    id: PartnerId,
) -> Result<String, AppError> {
    Ok(partner::repo::find(conn, id, company)?
        .map(|p| p.name)
        .unwrap_or_default())
}

/// The line of a partner, made on first use.
pub(super) fn line_of<'a>(
    conn: &mut DbConnection,
    company: CompanyId,
    lines: &'a mut BTreeMap<PartnerId, AgingLine>,
    partner: PartnerId,
) -> Result<&'a mut AgingLine, AppError> {
    Ok(match lines.entry(partner) {
        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::btree_map::Entry::Vacant(e) => e.insert(AgingLine {
            partner_id: partner,
            partner_name: partner_name(conn, company, partner)?,
            buckets: AgingBuckets::default(),
            invoices: Vec::new(),
        }),
    })
}

pub fn aging(
    conn: &mut DbConnection,
    actor: &Actor,
    q: AgingQuery,
) -> Result<AgingReport, AppError> {
    actor.require(READ)?;
    let at = q.at.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let company = actor.company_id;
    filter::names(q.partner_id, |p| partner::service::load(conn, actor, p))?;
    let (partners, totals) = age(
        conn,
        company,
        Viewer::Person(actor),
        q.side,
        at,
        q.partner_id,
    )?;
    Ok(AgingReport {
        side: q.side,
        at,
        currency: crate::entry::service::company_currency(conn, company)?,
        partners,
        totals,
    })
}

/// The levels of a dunning list: ascending days overdue, at least 1, at most 9 levels.
pub(super) fn dunning_levels(given: Option<&str>) -> Result<Vec<i64>, AppError> {
    let Some(text) = given else {
        return Ok(vec![1, 15, 30]);
    };
    let levels: Option<Vec<i64>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
    match levels {
        Some(l)
            if !l.is_empty() && l.len() <= 9 && l[0] >= 1 && l.windows(2).all(|w| w[0] < w[1]) =>
        {
            Ok(l)
        }
        _ => Err(AppError::field(
            "levels",
            "ascending whole days overdue, the first at least 1, comma-separated (up to 9)",
        )),
    }
}

/// The customers to remind at a date: their overdue invoices by dunning level, less the
/// credit they have with us; those whose credit covers what is overdue are not listed.
pub fn dunning(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DunningQuery,
) -> Result<DunningReport, AppError> {
    actor.require(READ)?;
    let levels = dunning_levels(q.levels.as_deref())?;
    let at = q.at.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let company = actor.company_id;
    let (lines, _) = age(
        conn,
        company,
        Viewer::Person(actor),
        Side::Receivable,
        at,
        None,
    )?;
    let level_of = |days: i64| levels.iter().take_while(|d| days >= **d).count() as i32;
    let mut partners = Vec::new();
    let mut total = 0i64;
    for l in lines {
        let invoices: Vec<DunningInvoice> = l
            .invoices
            .iter()
            .filter(|i| level_of(i.days_overdue) > 0)
            .map(|i| DunningInvoice {
                invoice_id: i.invoice_id,
                number: i.number.clone(),
                due_date: i.due_date,
                days_overdue: i.days_overdue,
                // Under instalments, only what is overdue is dunned.
                open_amount: if i.instalments.is_empty() {
                    i.open_amount
                } else {
                    Money::from_scaled(
                        i.instalments
                            .iter()
                            .filter(|p| p.days_overdue > 0)
                            .map(|p| p.open_amount.to_scaled().unwrap_or(0))
                            .sum(),
                    )
                },
                level: level_of(i.days_overdue),
            })
            .collect();
        let mut overdue = 0i64;
        for i in &invoices {
            overdue += i.open_amount.to_scaled()?;
        }
        let credit = l.buckets.unapplied_credit.to_scaled()?;
        if overdue - credit <= 0 {
            continue;
        }
        total += overdue - credit;
        partners.push(DunningLine {
            partner_id: l.partner_id,
            partner_name: l.partner_name,
            level: invoices.iter().map(|i| i.level).max().unwrap_or(0),
            overdue: Money::from_scaled(overdue),
            unapplied_credit: Money::from_scaled(credit),
            to_collect: Money::from_scaled(overdue - credit),
            invoices,
        });
    }
    partners.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.partner_name.cmp(&b.partner_name))
    });
    Ok(DunningReport {
        at,
        currency: crate::entry::service::company_currency(conn, company)?,
        levels,
        partners,
        total_to_collect: Money::from_scaled(total),
    })
}

/// One partner's position on a side at a date: what it owes (is owed) by age and the open
/// documents behind it. The caller checks its own right to show it (the CRM card asks for
/// `finance.invoice.read`; the portal shows a customer its own).
pub fn partner_position(
    conn: &mut DbConnection,
    company: CompanyId,
    viewer: Viewer,
    side: Side,
    partner_id: PartnerId,
    at: NaiveDate,
) -> Result<PartnerPosition, AppError> {
    let (mut lines, _) = age(conn, company, viewer, side, at, Some(partner_id))?;
    let (buckets, open_invoices) = match lines.pop() {
        Some(l) => (l.buckets, l.invoices),
        None => (AgingBuckets::default(), Vec::new()),
    };
    Ok(PartnerPosition {
        at,
        currency: crate::entry::service::company_currency(conn, company)?,
        buckets,
        open_invoices,
    })
}

/// The aging lines (partners with anything open, by name) and their totals.
pub(super) fn age(
    conn: &mut DbConnection,
    company: CompanyId,
    viewer: Viewer,
    side: Side,
    at: NaiveDate,
    partner_id: Option<PartnerId>,
) -> Result<(Vec<AgingLine>, AgingBuckets), AppError> {
    let book = read_book(conn, company, viewer, side, at, partner_id)?;
    // What was settled of each invoice, taken from each note and from each payment, by `at`,
    // in company currency (what the ledger holds) and of the invoice in its own currency.
    let mut settled: HashMap<InvoiceId, i64> = HashMap::new();
    let mut settled_in_currency: HashMap<InvoiceId, i64> = HashMap::new();
    let mut used: HashMap<Uuid, i64> = HashMap::new();
    for a in &book.allocations {
        *settled.entry(a.invoice_id).or_default() += a.settled_company;
        *settled_in_currency.entry(a.invoice_id).or_default() += a.settled();
        if let Some(src) = a
            .payment_id
            .map(Uuid::from)
            .or(a.credit_note_id.map(Uuid::from))
        {
            *used.entry(src).or_default() += a.amount_company;
        }
    }
    // A revaluation in force at `at` changed what the ledger holds of items in other currencies.
    let revalued = crate::revaluation::service::in_force_differences(conn, company, at)?;
    let change = |id: Uuid| revalued.get(&id).copied().unwrap_or(0);
    let mut lines: BTreeMap<PartnerId, AgingLine> = BTreeMap::new();
    for inv in &book.invoices {
        let open = change(inv.id.into())
            + if is_note(inv) {
                inv.total_company - used.get(&inv.id.into()).copied().unwrap_or(0)
            } else {
                inv.total_company - settled.get(&inv.id).copied().unwrap_or(0)
            };
        let open_in_currency = inv.total - settled_in_currency.get(&inv.id).copied().unwrap_or(0);
        if open == 0 && (is_note(inv) || open_in_currency == 0) {
            continue;
        }
        let line = line_of(conn, company, &mut lines, inv.partner_id)?;
        if is_note(inv) {
            add_credit(&mut line.buckets, open)?;
        } else {
            // Each instalment still open goes to the bucket of its own due date.
            let all = schedule(inv.instalments.as_deref(), inv.total, inv.due_date)?;
            let parts = open_parts(&all, inv.total - open_in_currency);
            let parts = in_company_currency(&parts, open_in_currency, open, inv.due_date);
            let mut instalments = Vec::new();
            for p in &parts {
                let days = (at - p.due_date).num_days();
                bucket(&mut line.buckets, days, p.amount)?;
                instalments.push(AgingInstalment {
                    due_date: p.due_date,
                    days_overdue: days,
                    open_amount: Money::from_scaled(p.amount),
                });
            }
            let first = parts.first().map_or(inv.due_date, |p| p.due_date);
            line.invoices.push(AgingInvoice {
                invoice_id: inv.id,
                number: inv.number.clone(),
                invoice_date: inv.invoice_date,
                due_date: first,
                days_overdue: (at - first).num_days(),
                total: Money::from_scaled(inv.total_company),
                open_amount: Money::from_scaled(open),
                currency: inv.currency.clone(),
                open_in_currency: Money::from_scaled(open_in_currency),
                instalments: if inv.instalments.is_some() {
                    instalments
                } else {
                    Vec::new()
                },
            });
        }
    }
    for p in &book.payments {
        let left =
            change(p.id.into()) + p.amount_company - used.get(&p.id.into()).copied().unwrap_or(0);
        if left == 0 {
            continue;
        }
        let line = line_of(conn, company, &mut lines, p.partner_id)?;
        add_credit(&mut line.buckets, left)?;
    }
    let mut totals = AgingBuckets::default();
    let mut partners: Vec<AgingLine> = lines.into_values().collect();
    for l in &mut partners {
        settle_balance(&mut l.buckets)?;
        l.invoices.sort_by_key(|i| (i.due_date, i.number.clone()));
        let b = &l.buckets;
        for (t, x) in [
            (&mut totals.current, b.current),
            (&mut totals.days_1_30, b.days_1_30),
            (&mut totals.days_31_60, b.days_31_60),
            (&mut totals.days_61_90, b.days_61_90),
            (&mut totals.over_90, b.over_90),
            (&mut totals.open_total, b.open_total),
            (&mut totals.unapplied_credit, b.unapplied_credit),
        ] {
            *t = Money::from_scaled(t.to_scaled()? + x.to_scaled()?);
        }
    }
    settle_balance(&mut totals)?;
    partners.sort_by(|a, b| a.partner_name.cmp(&b.partner_name));
    Ok((partners, totals))
}
