//! A draft document from its request: partner, dates, terms, lines priced and taxed, checked
//! field by field.

use chrono::{Days, NaiveDate};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::org::branch;
use erp_core::partner;

use super::draft_lines::{check_lines, price, Priced};
use super::dto::*;
use super::model::InvoiceRow;
use super::repo::{self};
use crate::currency::to_company;
use crate::ids::InvoiceId;
use crate::settings::dto::TaxRounding;
use crate::tax::calc::Rounding;
use crate::terms::instalment::{split, Share};
use crate::terms::model::PaymentTermsRow;
use crate::{settings, terms};

use super::read::*;

/// Checks a new document and prices it: lines, taxes (rounded as the company's settings
/// say), totals, due date and discount from the payment terms.
pub(super) fn build(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateInvoiceRequest,
) -> Result<Loaded, AppError> {
    let company = actor.company_id;
    let own = crate::entry::service::company_currency(conn, company)?;
    let mut v = Validator::new();
    let head = check_head(conn, actor, req, &own, &mut v)?;
    let lines = check_lines(conn, company, req, &head.currency, &mut v)?;
    v.finish()?;
    let exchange_rate = crate::rate::service::document_rate(
        conn,
        company,
        &own,
        &head.currency,
        req.invoice_date,
        "currency",
    )?;
    let settings = settings::service::of_company(conn, company)?;
    let id = req.id.unwrap_or_default();
    let rounding = rounding_of(settings.tax_rounding);
    let priced = price(id, req, &lines, rounding, &head.currency)?;
    if priced.total() <= 0 {
        return Err(AppError::field(
            "lines",
            "the document's total must be more than zero",
        ));
    }
    if repo::exists(conn, id)? {
        return Err(AppError::conflict(
            "duplicate_id",
            "a document with this id exists",
        ));
    }
    let row = draft_row(
        actor,
        req,
        id,
        head,
        &priced,
        (settings.tax_rounding, exchange_rate, &own),
    )?;
    Ok(Loaded {
        row,
        lines: priced.lines,
        line_taxes: priced.line_taxes,
        taxes: lines.taxes,
        allocations: Vec::new(),
    })
}

/// What the header of a document settles: its currency, payment terms and due dates.
struct Head {
    currency: String,
    terms: Option<PaymentTermsRow>,
    due_date: NaiveDate,
    /// The instalments of the terms; empty when all is due on `due_date`.
    shares: Vec<Share>,
}

/// Checks the header: currency, texts, partner, branch, payment terms and due date, and the
/// document a note corrects. Problems go to `v`.
fn check_head(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateInvoiceRequest,
    own: &str,
    v: &mut Validator,
) -> Result<Head, AppError> {
    let company = actor.company_id;
    // A note is in the currency of the document it corrects unless it says otherwise.
    let corrected = match req.corrects_id {
        Some(c) => repo::find(conn, company, c)?,
        None => None,
    };
    let currency = req
        .currency
        .clone()
        .or_else(|| corrected.as_ref().map(|o| o.currency.clone()))
        .unwrap_or_else(|| own.to_string());
    erp_core::org::check_currency(v, "currency", &currency);
    v.opt_text("reference", req.reference.as_deref(), 128);
    v.opt_text("notes", req.notes.as_deref(), 4000);
    v.opt_text("hold_reason", req.hold_reason.as_deref(), 1000);
    check_parties(conn, actor, req, v)?;
    let (terms, due_date, shares) = check_terms(conn, company, req, v)?;
    check_correction(req, corrected.as_ref(), &currency, v);
    Ok(Head {
        currency,
        terms,
        due_date,
        shares,
    })
}

/// The partner is an active customer (supplier) of the company, and the branch one the actor
/// may post to; an actor limited to some branches must name one.
fn check_parties(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateInvoiceRequest,
    v: &mut Validator,
) -> Result<(), AppError> {
    let company = actor.company_id;
    match partner::repo::find(conn, req.partner_id, company)? {
        None => v.add("partner_id", "no such business partner in the company"),
        Some(p) if !p.active => v.add("partner_id", "the partner is inactive"),
        Some(p) if req.kind.is_customer() && !p.is_customer => {
            v.add("partner_id", "the partner is not a customer")
        }
        Some(p) if !req.kind.is_customer() && !p.is_supplier => {
            v.add("partner_id", "the partner is not a supplier")
        }
        Some(_) => {}
    }
    branch::service::check_booking(conn, v, actor, req.branch_id)
}

/// The payment terms (active ones of the company), the due date they or the request set, and
/// their instalments.
fn check_terms(
    conn: &mut DbConnection,
    company: CompanyId,
    req: &CreateInvoiceRequest,
    v: &mut Validator,
) -> Result<(Option<PaymentTermsRow>, NaiveDate, Vec<Share>), AppError> {
    let terms = match req.payment_terms_id {
        Some(t) => match terms::repo::find(conn, company, t)? {
            Some(t) if t.active => Some(t),
            _ => {
                v.add(
                    "payment_terms_id",
                    "no such active payment terms in the company",
                );
                None
            }
        },
        None => None,
    };
    let due_date = req
        .due_date
        .or_else(|| {
            terms.as_ref().and_then(|t| {
                req.invoice_date
                    .checked_add_days(Days::new(t.net_days as u64))
            })
        })
        .unwrap_or(req.invoice_date);
    v.check(
        due_date >= req.invoice_date,
        "due_date",
        "must not be before the invoice date",
    );
    // Instalment terms set the due dates of a document (notes are not paid in instalments).
    let shares = match (&terms, req.kind.is_note()) {
        (Some(t), false) => terms::service::shares_of(t)?,
        _ => Vec::new(),
    };
    if !shares.is_empty() && req.due_date.is_some() {
        v.add(
            "due_date",
            "the payment terms are in instalments, which set the due dates",
        );
    }
    Ok((terms, due_date, shares))
}

/// Only a note corrects a document: a posted invoice (bill) of the same partner, in its
/// currency.
fn check_correction(
    req: &CreateInvoiceRequest,
    corrected: Option<&InvoiceRow>,
    currency: &str,
    v: &mut Validator,
) {
    match (req.kind.is_note(), req.corrects_id) {
        (false, Some(_)) => v.add(
            "corrects_id",
            "only credit and debit notes correct a document",
        ),
        (true, Some(_)) => match corrected {
            Some(o)
                if o.kind == enum_to_db(&req.kind.counterpart())
                    && o.partner_id == req.partner_id =>
            {
                if o.status != InvoiceStatus::Posted {
                    v.add("corrects_id", "the corrected document is not posted");
                }
                if o.currency != currency {
                    v.add(
                        "currency",
                        format!(
                            "the corrected document is in {}; a note is in its currency",
                            o.currency
                        ),
                    );
                }
            }
            Some(_) => v.add(
                "corrects_id",
                "is not an invoice (bill) of the same partner that this note can correct",
            ),
            None => v.add("corrects_id", "no such document in the company"),
        },
        _ => {}
    }
}

/// The draft's row: the header as checked, the priced totals, the early-payment discount and
/// instalments of its terms, and its value in company currency at `exchange_rate`.
fn draft_row(
    actor: &Actor,
    req: &CreateInvoiceRequest,
    id: InvoiceId,
    head: Head,
    priced: &Priced,
    (tax_rounding, exchange_rate, own): (TaxRounding, i64, &str),
) -> Result<InvoiceRow, AppError> {
    let Head {
        currency,
        terms,
        due_date,
        shares,
    } = head;
    let total = priced.total();
    let discount_until = terms
        .as_ref()
        .filter(|t| t.discount_days > 0)
        .and_then(|t| {
            req.invoice_date
                .checked_add_days(Days::new(t.discount_days as u64))
        });
    let at = now();
    let row = InvoiceRow {
        id,
        company_id: actor.company_id,
        kind: enum_to_db(&req.kind),
        number: None,
        partner_id: req.partner_id,
        branch_id: req.branch_id,
        invoice_date: req.invoice_date,
        due_date,
        payment_terms_id: terms.as_ref().map(|t| t.id),
        discount_until,
        discount_rate: if discount_until.is_some() {
            terms.as_ref().map_or(0, |t| t.discount_rate)
        } else {
            0
        },
        status: InvoiceStatus::Draft,
        reference: req.reference.clone(),
        notes: req.notes.clone(),
        corrects_id: req.corrects_id,
        tax_rounding: enum_to_db(&tax_rounding),
        net: priced.net,
        tax: priced.tax,
        total,
        open_amount: total,
        entry_id: None,
        cancel_entry_id: None,
        cancelled_on: None,
        version: 1,
        created_by: actor.user_id,
        created_at: at,
        updated_at: at,
        hold_reason: req
            .hold_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        released_by: None,
        released_at: None,
        instalments: if shares.is_empty() {
            None
        } else {
            let schedule = split(total, &shares, req.invoice_date, &currency)?;
            Some(serde_json::to_string(&schedule).map_err(|e| AppError::Internal(e.to_string()))?)
        },
        // Until posting converts line by line: the total at the rate.
        total_company: to_company(total, exchange_rate, own)?,
        open_company: to_company(total, exchange_rate, own)?,
        currency,
        exchange_rate,
    };
    Ok(row)
}

/// The company's setting as the tax arithmetic takes it.
fn rounding_of(setting: TaxRounding) -> Rounding {
    match setting {
        TaxRounding::Line => Rounding::Line,
        TaxRounding::Document => Rounding::Document,
    }
}
