//! Invoices and bills as they are read: one, a page, a customer's own, what was billed.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::filter;
use erp_core::ids::PartnerId;
use erp_core::ids::{distinct, CompanyId};
use erp_core::money::{Money, Percent, Price, Qty};
use erp_core::pagination::ListParams;
use erp_core::partner;

use super::dto::*;
use super::model::{InvoiceLineRow, InvoiceLineTaxRow, InvoiceRow};
use super::repo::{self, InvoiceFilter};
use crate::allocation::model::AllocationRow;
use crate::allocation::service::{self as allocation};
use crate::currency::rate_value;
use crate::ids::{InvoiceId, TaxId};
use crate::tax;
use crate::tax::model::TaxRow;
use crate::terms::instalment::{open_parts, schedule};

use super::service::*;

/// A document with what its response shows besides its row.
pub(super) struct Loaded {
    pub(super) row: InvoiceRow,
    pub(super) lines: Vec<InvoiceLineRow>,
    /// Every tax of every line.
    pub(super) line_taxes: Vec<InvoiceLineTaxRow>,
    /// The taxes `line_taxes` name.
    pub(super) taxes: Vec<TaxRow>,
    pub(super) allocations: Vec<AllocationRow>,
}

pub(super) fn payment_state(row: &InvoiceRow) -> PaymentState {
    if row.status != InvoiceStatus::Posted || row.open_amount == row.total {
        PaymentState::Open
    } else if row.open_amount == 0 {
        PaymentState::Paid
    } else {
        PaymentState::Partial
    }
}

pub(super) fn to_response(d: &Loaded, company_currency: &str) -> Result<InvoiceResponse, AppError> {
    let row = &d.row;
    let m = Money::from_scaled;
    // The document's taxes, each summed over its lines, in the order they first appear.
    let mut taxes: Vec<InvoiceTaxResponse> = Vec::new();
    for lt in &d.line_taxes {
        match taxes.iter_mut().find(|t| t.tax_id == lt.tax_id) {
            Some(t) => {
                t.base = m(t.base.to_scaled()? + lt.base);
                t.tax = m(t.tax.to_scaled()? + lt.tax);
            }
            None => {
                let rate = d
                    .taxes
                    .iter()
                    .find(|t| t.id == lt.tax_id)
                    .ok_or_else(|| AppError::Internal(format!("tax {} missing", lt.tax_id)))?;
                taxes.push(InvoiceTaxResponse {
                    tax_id: lt.tax_id,
                    code: rate.code.clone(),
                    rate: Percent::from_scaled(rate.rate),
                    base: m(lt.base),
                    tax: m(lt.tax),
                });
            }
        }
    }
    Ok(InvoiceResponse {
        id: row.id,
        kind: enum_from_db(&row.kind)?,
        number: row.number.clone(),
        status: row.status,
        payment_state: payment_state(row),
        partner_id: row.partner_id,
        branch_id: row.branch_id,
        invoice_date: row.invoice_date,
        due_date: row.due_date,
        payment_terms_id: row.payment_terms_id,
        discount_until: row.discount_until,
        discount_rate: Percent::from_scaled(row.discount_rate),
        reference: row.reference.clone(),
        notes: row.notes.clone(),
        corrects_id: row.corrects_id,
        tax_rounding: enum_from_db(&row.tax_rounding)?,
        currency: row.currency.clone(),
        exchange_rate: rate_value(row.exchange_rate),
        net: m(row.net),
        tax: m(row.tax),
        total: m(row.total),
        open_amount: m(row.open_amount),
        company_currency: company_currency.to_string(),
        total_in_company_currency: m(row.total_company),
        open_in_company_currency: m(row.open_company),
        entry_id: row.entry_id,
        cancel_entry_id: row.cancel_entry_id,
        cancelled_on: row.cancelled_on,
        hold_reason: row.hold_reason.clone(),
        released_by: row.released_by,
        released_at: row.released_at.map(|t| t.and_utc()),
        instalments: match &row.instalments {
            None => Vec::new(),
            Some(stored) => {
                let all = schedule(Some(stored), row.total, row.due_date)?;
                let open = open_parts(&all, row.total - row.open_amount);
                all.iter()
                    .map(|d| InstalmentResponse {
                        due_date: d.due_date,
                        amount: m(d.amount),
                        open_amount: m(open
                            .iter()
                            .find(|o| o.due_date == d.due_date)
                            .map_or(0, |o| o.amount)),
                    })
                    .collect()
            }
        },
        lines: d
            .lines
            .iter()
            .map(|l| {
                Ok(InvoiceLineResponse {
                    line_no: l.line_no,
                    description: l.description.clone(),
                    account_id: l.account_id,
                    quantity: Qty::from_scaled(l.quantity),
                    unit_price: Price::from_scaled(l.unit_price),
                    discount_percent: Percent::from_scaled(l.discount_percent),
                    tax_id: l.tax_id,
                    tax_group_id: l.tax_group_id,
                    net: m(l.net),
                    tax: m(l.tax),
                    taxes: d
                        .line_taxes
                        .iter()
                        .filter(|t| t.line_no == l.line_no)
                        .map(|t| {
                            Ok(InvoiceLineTaxResponse {
                                tax_id: t.tax_id,
                                base: m(t.base),
                                tax: m(t.tax),
                            })
                        })
                        .collect::<Result<_, AppError>>()?,
                    cost_center: l.cost_center.clone(),
                    project: l.project.clone(),
                    clears: l.clears.map(m),
                })
            })
            .collect::<Result<_, AppError>>()?,
        taxes,
        allocations: d
            .allocations
            .iter()
            .map(allocation::to_response)
            .collect::<Result<_, _>>()?,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub(super) fn load_many(
    conn: &mut DbConnection,
    rows: Vec<InvoiceRow>,
) -> Result<Vec<Loaded>, AppError> {
    let ids: Vec<InvoiceId> = rows.iter().map(|r| r.id).collect();
    let lines = repo::lines_of(conn, &ids)?;
    let line_taxes = repo::line_taxes_of(conn, &ids)?;
    let allocations = crate::allocation::repo::of_invoices(conn, &ids)?;
    let tax_ids: Vec<TaxId> = distinct(line_taxes.iter().map(|t| t.tax_id));
    let taxes = match rows.first() {
        Some(r) => tax::repo::find_many(conn, r.company_id, &tax_ids)?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|row| Loaded {
            lines: lines
                .iter()
                .filter(|l| l.invoice_id == row.id)
                .cloned()
                .collect(),
            line_taxes: line_taxes
                .iter()
                .filter(|t| t.invoice_id == row.id)
                .cloned()
                .collect(),
            taxes: taxes.clone(),
            allocations: allocations
                .iter()
                .filter(|a| a.invoice_id == row.id || a.credit_note_id.as_ref() == Some(&row.id))
                .cloned()
                .collect(),
            row,
        })
        .collect())
}

pub(super) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<Loaded, AppError> {
    let row = repo::find(conn, actor.company_id, id)?
        .filter(|r| actor.sees_record_in(r.branch_id))
        .ok_or(AppError::NotFound("invoice"))?;
    Ok(load_many(conn, vec![row])?.remove(0))
}

/// A posted invoice or credit note to `partner_id`, for the partner's own eyes (the customer
/// portal); any other document is 404, as if absent.
pub fn get_for_customer(
    conn: &mut DbConnection,
    company_id: CompanyId,
    partner_id: PartnerId,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    let row = repo::find(conn, company_id, id)?
        .filter(|r| {
            r.partner_id == partner_id
                && r.status == InvoiceStatus::Posted
                && [
                    InvoiceKind::CustomerInvoice,
                    InvoiceKind::CustomerCreditNote,
                ]
                .iter()
                .any(|k| enum_to_db(k) == r.kind)
        })
        .ok_or(AppError::NotFound("invoice"))?;
    let currency = crate::entry::service::company_currency(conn, company_id)?;
    to_response(&load_many(conn, vec![row])?.remove(0), &currency)
}

pub(super) fn respond(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    let currency = crate::entry::service::company_currency(conn, actor.company_id)?;
    to_response(&load(conn, actor, id)?, &currency)
}

/// What documents that still stand (drafts and posted; not cancelled, not deleted) bill of
/// another module's lines: `links` are (document, line number, quantity) rows; the answer is
/// the quantity per line number, and those documents in the order they were made.
pub fn billed_by_line(
    conn: &mut DbConnection,
    links: &[(InvoiceId, i32, i64)],
) -> Result<(HashMap<i32, i64>, Vec<InvoiceRef>), AppError> {
    let ids: Vec<InvoiceId> = distinct(links.iter().map(|(id, _, _)| *id));
    if ids.is_empty() {
        return Ok((HashMap::new(), Vec::new()));
    }
    let standing = repo::standing(conn, &ids)?;
    let mut by_line: HashMap<i32, i64> = HashMap::new();
    for (id, line_no, quantity) in links {
        if standing.iter().any(|(s, _, _)| s == id) {
            *by_line.entry(*line_no).or_default() += quantity;
        }
    }
    let refs = standing
        .into_iter()
        .map(|(id, number, status)| {
            Ok(InvoiceRef {
                id,
                number,
                status: enum_from_db(&status)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok((by_line, refs))
}

pub fn get_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    actor.require(READ)?;
    respond(conn, actor, id)
}

pub fn list_invoices(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: InvoiceListQuery,
) -> Result<InvoicePage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let company = actor.company_id;
    filter::names(q.partner_id, |p| partner::service::load(conn, actor, p))?;
    let filter = InvoiceFilter {
        kinds: q.kind.iter().map(enum_to_db).collect(),
        status: q.status,
        partner_id: q.partner_id,
        open: q.open,
        from: q.from,
        to: q.to,
        due_before: q.due_before,
        branches: actor.visible_branches(),
    };
    let rows = repo::list(conn, company, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let currency = crate::entry::service::company_currency(conn, company)?;
    Ok(InvoicePage {
        items: load_many(conn, rows)?
            .iter()
            .map(|d| to_response(d, &currency))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
