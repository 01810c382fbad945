//! A draft document from its request: partner, dates, terms, lines priced and taxed, checked
//! field by field.

use chrono::Days;
use erp_core::auth::{Actor, BranchScope};
use erp_core::db::{enum_to_db, now, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::BranchId;
use erp_core::money::{Money, Percent};
use erp_core::org::branch;
use erp_core::partner;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{InvoiceLineRow, InvoiceLineTaxRow, InvoiceRow};
use super::repo::{self};
use crate::account;
use crate::currency::{round_to_minor_unit, to_company};
use crate::ids::{AccountId, InvoiceId, TaxGroupId, TaxId};
use crate::rule::dto::PostingEvent;
use crate::settings::dto::TaxRounding;
use crate::tax::calc::{self, Line, Rounding};
use crate::terms::instalment::split;
use crate::{settings, tax, tax_group, terms};

use super::read::*;

/// Checks a new document and prices it: lines, taxes (rounded as the company's settings
/// say), totals, due date and discount from the payment terms.
pub(super) fn build(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateInvoiceRequest,
) -> Result<Loaded, AppError> {
    let company = actor.company_id.to_db();
    let own = crate::entry::service::company_currency(conn, &company)?;
    // A note is in the currency of the document it corrects unless it says otherwise.
    let corrected = match req.corrects_id {
        Some(c) => repo::find(conn, &company, &c.to_db())?,
        None => None,
    };
    let currency = req
        .currency
        .clone()
        .or_else(|| corrected.as_ref().map(|o| o.currency.clone()))
        .unwrap_or_else(|| own.clone());
    let mut v = Validator::new();
    erp_core::org::check_currency(&mut v, "currency", &currency);
    v.opt_text("reference", req.reference.as_deref(), 128);
    v.opt_text("notes", req.notes.as_deref(), 4000);
    v.opt_text("hold_reason", req.hold_reason.as_deref(), 1000);
    match partner::repo::find(conn, &req.partner_id.to_db(), &company)? {
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
    if let Some(b) = req.branch_id {
        if !branch::repo::exists_in_company(conn, &b.to_db(), &company)? || !actor.sees_branch(&b) {
            v.add("branch_id", "no such branch, or not one you may post to");
        }
    } else if actor.branches != BranchScope::All {
        v.add("branch_id", "name one of your branches");
    }
    let terms = match req.payment_terms_id {
        Some(t) => match terms::repo::find(conn, &company, &t.to_db())? {
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
    match (req.kind.is_note(), req.corrects_id) {
        (false, Some(_)) => v.add(
            "corrects_id",
            "only credit and debit notes correct a document",
        ),
        (true, Some(_)) => match &corrected {
            Some(o)
                if o.kind == enum_to_db(&req.kind.counterpart())
                    && o.partner_id == req.partner_id.to_db() =>
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
    if req.lines.is_empty() {
        v.add("lines", "a document needs at least one line");
    }
    if req.lines.len() > 1000 {
        v.add("lines", "at most 1000 lines");
    }
    let default_event = if req.kind.is_customer() {
        PostingEvent::SalesRevenue
    } else {
        PostingEvent::PurchaseExpense
    };
    let needs_default = req.lines.iter().any(|l| l.account_id.is_none());
    let default_account = if needs_default {
        Some(crate::rule::service::required_account(
            conn,
            &company,
            default_event,
        )?)
    } else {
        None
    };
    let account_ids: Vec<String> = req
        .lines
        .iter()
        .map(|l| {
            l.account_id
                .or(default_account)
                .map(AccountId::to_db)
                .unwrap_or_default()
        })
        .collect();
    let accounts = account::repo::find_many(conn, &company, &account_ids)?;
    let tax_ids: Vec<String> = req
        .lines
        .iter()
        .filter_map(|l| l.tax_id.map(TaxId::to_db))
        .collect();
    let group_ids: Vec<String> = req
        .lines
        .iter()
        .filter_map(|l| l.tax_group_id.map(TaxGroupId::to_db))
        .collect();
    let groups = tax_group::service::expand(conn, &company, &group_ids)?;
    // The taxes lines name and those of their groups; a tax's place here is its key in the
    // arithmetic, so a tax shared by lines is rounded as one rate.
    let mut taxes = tax::repo::find_many(conn, &company, &tax_ids)?;
    for (t, _) in groups.iter().flat_map(|g| &g.members) {
        if !taxes.iter().any(|x| x.id == t.id) {
            taxes.push(t.clone());
        }
    }
    let mut calc_lines = Vec::with_capacity(req.lines.len());
    for (i, l) in req.lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        v.text(&f("description"), &l.description, 500);
        match accounts.iter().find(|a| a.id == account_ids[i]) {
            None => v.add(f("account_id"), "no such account in the company"),
            Some(a) if !a.active => v.add(f("account_id"), "the account is inactive"),
            Some(_) => {}
        }
        v.check(
            l.quantity.value() > Decimal::ZERO,
            &f("quantity"),
            "must be more than zero",
        );
        v.check(
            l.unit_price.value() >= Decimal::ZERO,
            &f("unit_price"),
            "must not be negative",
        );
        for (name, code) in [("cost_center", &l.cost_center), ("project", &l.project)] {
            if let Some(c) = code {
                v.code(&f(name), c, 32);
            }
        }
        let mut line_taxes = Vec::new();
        match (l.tax_id, l.tax_group_id) {
            (Some(_), Some(_)) => v.add(
                f("tax_group_id"),
                "a line has a tax or a tax group, not both",
            ),
            (Some(t), None) => match taxes.iter().position(|x| x.id == t.to_db()) {
                Some(k) if taxes[k].active => {
                    line_taxes.push((k, tax::service::rate_of(&taxes[k], false)))
                }
                _ => v.add(f("tax_id"), "no such active tax in the company"),
            },
            (None, Some(g)) => match groups.iter().find(|e| e.group.id == g.to_db()) {
                Some(e) if e.group.active => {
                    for (t, compound) in &e.members {
                        if !t.active {
                            v.add(
                                f("tax_group_id"),
                                format!("the group's tax {} is inactive", t.code),
                            );
                        }
                        if let Some(k) = taxes.iter().position(|x| x.id == t.id) {
                            line_taxes.push((k, tax::service::rate_of(t, *compound)));
                        }
                    }
                }
                _ => v.add(f("tax_group_id"), "no such active tax group in the company"),
            },
            (None, None) => {}
        }
        if let Some(c) = l.clears {
            // In company currency, as the goods were valued when received.
            if req.kind.is_customer() {
                v.add(f("clears"), "only supplier documents clear goods received");
            }
            v.check(
                c.value() >= Decimal::ZERO,
                &f("clears"),
                "must not be negative",
            );
        }
        let discount = l.discount_percent.map_or(Decimal::ZERO, Percent::value);
        v.check(
            (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&discount),
            &f("discount_percent"),
            "must be between 0 and 100",
        );
        let amount = round_to_minor_unit(
            l.quantity.value() * l.unit_price.value() * (Decimal::ONE_HUNDRED - discount)
                / Decimal::ONE_HUNDRED,
            &currency,
        );
        if Money::new(amount).is_err() {
            v.add(f("unit_price"), "quantity × price is too large to store");
        }
        calc_lines.push(Line {
            amount,
            taxes: line_taxes,
        });
    }
    v.finish()?;
    let exchange_rate = crate::rate::service::document_rate(
        conn,
        &company,
        &own,
        &currency,
        req.invoice_date,
        "currency",
    )?;
    let settings = settings::service::of_company(conn, &company)?;
    let priced = calc::compute(&calc_lines, rounding_of(settings.tax_rounding), &currency);
    let id = req.id.unwrap_or_default().to_db();
    let scaled = |d: Decimal| Money::new(d).and_then(Money::to_scaled);
    let mut lines = Vec::with_capacity(req.lines.len());
    let mut line_taxes = Vec::new();
    let (mut net, mut tax_total) = (0i64, 0i64);
    for (i, (l, p)) in req.lines.iter().zip(&priced).enumerate() {
        let (line_net, line_tax) = (scaled(p.net)?, scaled(p.tax())?);
        for (k, ((key, _), (base, tax))) in calc_lines[i].taxes.iter().zip(&p.taxes).enumerate() {
            line_taxes.push(InvoiceLineTaxRow {
                invoice_id: id.clone(),
                line_no: i as i32 + 1,
                seq: k as i32,
                tax_id: taxes[*key].id.clone(),
                base: scaled(*base)?,
                tax: scaled(*tax)?,
            });
        }
        net = net
            .checked_add(line_net)
            .ok_or_else(|| AppError::field("lines", "the total is too large to store"))?;
        tax_total += line_tax;
        lines.push(InvoiceLineRow {
            invoice_id: id.clone(),
            line_no: i as i32 + 1,
            description: l.description.trim().to_string(),
            account_id: account_ids[i].clone(),
            quantity: l.quantity.to_scaled()?,
            unit_price: l.unit_price.to_scaled()?,
            tax_id: l.tax_id.map(TaxId::to_db),
            net: line_net,
            tax: line_tax,
            cost_center: l.cost_center.clone(),
            project: l.project.clone(),
            discount_percent: l.discount_percent.unwrap_or_default().to_scaled()?,
            clears: l.clears.map(Money::to_scaled).transpose()?,
            tax_group_id: l.tax_group_id.map(TaxGroupId::to_db),
        });
    }
    let total = net + tax_total;
    if total <= 0 {
        return Err(AppError::field(
            "lines",
            "the document's total must be more than zero",
        ));
    }
    if repo::exists(conn, &id)? {
        return Err(AppError::conflict(
            "duplicate_id",
            "a document with this id exists",
        ));
    }
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
        company_id: company,
        kind: enum_to_db(&req.kind),
        number: None,
        partner_id: req.partner_id.to_db(),
        branch_id: req.branch_id.map(BranchId::to_db),
        invoice_date: req.invoice_date,
        due_date,
        payment_terms_id: terms.as_ref().map(|t| t.id.clone()),
        discount_until,
        discount_rate: if discount_until.is_some() {
            terms.as_ref().map_or(0, |t| t.discount_rate)
        } else {
            0
        },
        status: InvoiceStatus::Draft,
        reference: req.reference.clone(),
        notes: req.notes.clone(),
        corrects_id: req.corrects_id.map(InvoiceId::to_db),
        tax_rounding: enum_to_db(&settings.tax_rounding),
        net,
        tax: tax_total,
        total,
        open_amount: total,
        entry_id: None,
        cancel_entry_id: None,
        cancelled_on: None,
        version: 1,
        created_by: actor.user_id.to_db(),
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
        total_company: to_company(total, exchange_rate, &own)?,
        open_company: to_company(total, exchange_rate, &own)?,
        currency,
        exchange_rate,
    };
    Ok(Loaded {
        row,
        lines,
        line_taxes,
        taxes,
        allocations: Vec::new(),
    })
}

/// The company's setting as the tax arithmetic takes it.
fn rounding_of(setting: TaxRounding) -> Rounding {
    match setting {
        TaxRounding::Line => Rounding::Line,
        TaxRounding::Document => Rounding::Document,
    }
}
