//! Invoices, bills and their notes through their life: drafted and checked, posted (entry,
//! number, and a note's settlement of the document it corrects, in one transaction),
//! cancelled by a reversal while nothing settles them, deleted while drafts.

use std::collections::HashMap;

use chrono::Days;
use erp_core::audit::{self, Change};
use erp_core::auth::{Actor, BranchScope};
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{BranchId, PartnerId, UserId};
use erp_core::money::{Money, Percent, Price, Qty};
use erp_core::org::branch;
use erp_core::pagination::ListParams;
use erp_core::partner;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{InvoiceLineRow, InvoiceLineTaxRow, InvoiceRow};
use super::posting::{kind_label, post_document};
use super::repo::{self, InvoiceFilter};
use crate::account;
use crate::allocation::dto::AllocationInput;
use crate::allocation::model::AllocationRow;
use crate::allocation::service::{self as allocation, Source, SourceKind};
use crate::currency::{rate_value, round_to_minor_unit, to_company};
use crate::error::FinanceError;
use crate::ids::{AccountId, EntryId, InvoiceId, PaymentTermsId, TaxGroupId, TaxId};
use crate::rule::dto::PostingEvent;
use crate::tax::calc::{self, Line};
use crate::tax::model::TaxRow;
use crate::terms::instalment::{open_parts, schedule, split};
use crate::{settings, tax, tax_group, terms};

const ENTITY: &str = "fin_invoice";
pub const READ: &str = "finance.invoice.read";
pub const WRITE: &str = "finance.invoice.write";
pub const POST: &str = "finance.invoice.post";
pub const APPROVE: &str = "finance.invoice.approve";

/// A document with what its response shows besides its row.
struct Loaded {
    row: InvoiceRow,
    lines: Vec<InvoiceLineRow>,
    /// Every tax of every line.
    line_taxes: Vec<InvoiceLineTaxRow>,
    /// The taxes `line_taxes` name.
    taxes: Vec<TaxRow>,
    allocations: Vec<AllocationRow>,
}

fn payment_state(row: &InvoiceRow) -> PaymentState {
    if row.status != "posted" || row.open_amount == row.total {
        PaymentState::Open
    } else if row.open_amount == 0 {
        PaymentState::Paid
    } else {
        PaymentState::Partial
    }
}

fn to_response(d: &Loaded, company_currency: &str) -> Result<InvoiceResponse, AppError> {
    let row = &d.row;
    let m = Money::from_scaled;
    // The document's taxes, each summed over its lines, in the order they first appear.
    let mut taxes: Vec<InvoiceTaxResponse> = Vec::new();
    for lt in &d.line_taxes {
        match taxes.iter_mut().find(|t| t.tax_id.to_db() == lt.tax_id) {
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
                    tax_id: TaxId::from_db(&lt.tax_id)?,
                    code: rate.code.clone(),
                    rate: Percent::from_scaled(rate.rate),
                    base: m(lt.base),
                    tax: m(lt.tax),
                });
            }
        }
    }
    Ok(InvoiceResponse {
        id: InvoiceId::from_db(&row.id)?,
        kind: enum_from_db(&row.kind)?,
        number: row.number.clone(),
        status: enum_from_db(&row.status)?,
        payment_state: payment_state(row),
        partner_id: PartnerId::from_db(&row.partner_id)?,
        branch_id: row
            .branch_id
            .as_deref()
            .map(BranchId::from_db)
            .transpose()?,
        invoice_date: row.invoice_date,
        due_date: row.due_date,
        payment_terms_id: row
            .payment_terms_id
            .as_deref()
            .map(PaymentTermsId::from_db)
            .transpose()?,
        discount_until: row.discount_until,
        discount_rate: Percent::from_scaled(row.discount_rate),
        reference: row.reference.clone(),
        notes: row.notes.clone(),
        corrects_id: row
            .corrects_id
            .as_deref()
            .map(InvoiceId::from_db)
            .transpose()?,
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
        entry_id: row.entry_id.as_deref().map(EntryId::from_db).transpose()?,
        cancel_entry_id: row
            .cancel_entry_id
            .as_deref()
            .map(EntryId::from_db)
            .transpose()?,
        cancelled_on: row.cancelled_on,
        hold_reason: row.hold_reason.clone(),
        released_by: row
            .released_by
            .as_deref()
            .map(UserId::from_db)
            .transpose()?,
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
                    account_id: AccountId::from_db(&l.account_id)?,
                    quantity: Qty::from_scaled(l.quantity),
                    unit_price: Price::from_scaled(l.unit_price),
                    discount_percent: Percent::from_scaled(l.discount_percent),
                    tax_id: l.tax_id.as_deref().map(TaxId::from_db).transpose()?,
                    tax_group_id: l
                        .tax_group_id
                        .as_deref()
                        .map(TaxGroupId::from_db)
                        .transpose()?,
                    net: m(l.net),
                    tax: m(l.tax),
                    taxes: d
                        .line_taxes
                        .iter()
                        .filter(|t| t.line_no == l.line_no)
                        .map(|t| {
                            Ok(InvoiceLineTaxResponse {
                                tax_id: TaxId::from_db(&t.tax_id)?,
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

/// Branch-limited users see documents of their branches only; documents of no branch are
/// for those who see all branches.
pub fn visible(actor: &Actor, branch_id: Option<&str>) -> Result<bool, AppError> {
    Ok(match branch_id {
        Some(b) => actor.sees_branch(&BranchId::from_db(b)?),
        None => actor.branches == BranchScope::All,
    })
}

/// The branches a list is narrowed to for the actor (`None`: all).
pub fn branch_filter(actor: &Actor) -> Option<Vec<String>> {
    match &actor.branches {
        BranchScope::All => None,
        BranchScope::Only(set) => Some(set.iter().map(|b| b.to_db()).collect()),
    }
}

fn load_many(conn: &mut DbConnection, rows: Vec<InvoiceRow>) -> Result<Vec<Loaded>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let lines = repo::lines_of(conn, &ids)?;
    let line_taxes = repo::line_taxes_of(conn, &ids)?;
    let allocations = crate::allocation::repo::of_invoices(conn, &ids)?;
    let mut tax_ids: Vec<String> = line_taxes.iter().map(|t| t.tax_id.clone()).collect();
    tax_ids.sort();
    tax_ids.dedup();
    let company = rows
        .first()
        .map(|r| r.company_id.clone())
        .unwrap_or_default();
    let taxes = tax::repo::find_many(conn, &company, &tax_ids)?;
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

fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Loaded, AppError> {
    let row = repo::find(conn, &actor.company_id.to_db(), id)?
        .filter(|r| visible(actor, r.branch_id.as_deref()).unwrap_or(false))
        .ok_or(AppError::NotFound("invoice"))?;
    Ok(load_many(conn, vec![row])?.remove(0))
}

/// A posted invoice or credit note to `partner_id`, for the partner's own eyes (the customer
/// portal); any other document is 404, as if absent.
pub fn get_for_customer(
    conn: &mut DbConnection,
    company_id: &str,
    partner_id: &str,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    let row = repo::find(conn, company_id, &id.to_db())?
        .filter(|r| {
            r.partner_id == partner_id
                && r.status == enum_to_db(&InvoiceStatus::Posted)
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

fn respond(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<InvoiceResponse, AppError> {
    let currency = crate::entry::service::company_currency(conn, &actor.company_id.to_db())?;
    to_response(&load(conn, actor, id)?, &currency)
}

/// Checks a new document and prices it: lines, taxes (rounded as the company's settings
/// say), totals, due date and discount from the payment terms.
fn build(
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
                if o.status != "posted" {
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
    let priced = calc::compute(&calc_lines, settings.rounding(), &currency);
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
        status: enum_to_db(&InvoiceStatus::Draft),
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

/// Posts the document's entry and takes its number; a note then settles the document it
/// corrects by as much as both have open.
fn post_rows(conn: &mut DbConnection, actor: &Actor, d: &mut Loaded) -> Result<(), AppError> {
    let row = &mut d.row;
    let kind: InvoiceKind = enum_from_db(&row.kind)?;
    let (entry, total_company) =
        post_document(conn, actor, kind, row, &d.lines, &d.line_taxes, &d.taxes)?;
    row.total_company = total_company;
    row.open_company = total_company;
    row.number = entry.number.clone();
    row.entry_id = Some(entry.id.to_db());
    row.status = enum_to_db(&InvoiceStatus::Posted);
    row.updated_at = now();
    Ok(())
}

/// After a note is stored as posted: it settles the document it corrects.
fn settle_corrected(
    conn: &mut DbConnection,
    actor: &Actor,
    note: &InvoiceRow,
) -> Result<(), AppError> {
    let Some(corrects) = &note.corrects_id else {
        return Ok(());
    };
    let kind: InvoiceKind = enum_from_db(&note.kind)?;
    let target =
        repo::find(conn, &note.company_id, corrects)?.ok_or(AppError::NotFound("invoice"))?;
    if target.status != "posted" {
        return Err(AppError::field(
            "corrects_id",
            "the corrected document is not posted",
        ));
    }
    let amount = note.total.min(target.open_amount);
    if amount == 0 {
        return Ok(());
    }
    let source = Source {
        kind: SourceKind::Note,
        id: &note.id,
        partner_id: &note.partner_id,
        customer: kind.is_customer(),
        label: format!(
            "{} {}",
            kind_label(kind),
            note.number.as_deref().unwrap_or_default()
        ),
        currency: &note.currency,
        exchange_rate: note.exchange_rate,
    };
    allocation::allocate(
        conn,
        actor,
        &source,
        &AllocationInput {
            invoice_id: InvoiceId::from_db(&target.id)?,
            amount: Money::from_scaled(amount),
            discount: None,
            write_off: None,
        },
        "corrects_id",
        note.invoice_date.max(target.invoice_date),
    )?;
    Ok(())
}

pub fn create_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateInvoiceRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require(WRITE)?;
    if req.post {
        actor.require(POST)?;
    }
    write_tx(conn, |conn| {
        let mut d = build(conn, actor, &req)?;
        // The row goes in first: the entry refers to it, and a note's settlement reads it.
        repo::insert(conn, &d.row, &d.lines, &d.line_taxes)?;
        if req.post && d.row.hold_reason.is_none() {
            let version = d.row.version;
            post_rows(conn, actor, &mut d)?;
            d.row.version += 1;
            if !repo::mark_posted(conn, &d.row, version)? {
                return Err(AppError::Contended);
            }
            settle_corrected(conn, actor, &d.row)?;
        }
        let out = respond(conn, actor, &d.row.id)?;
        audit::record(conn, actor, ENTITY, &d.row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Posts a draft. Of two concurrent posts one waits and then finds it posted (409).
pub fn post_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let mut d = load(conn, actor, &id.to_db())?;
        if d.row.status != "draft" {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "post",
                current: d.row.status.clone(),
            });
        }
        if let (Some(reason), None) = (&d.row.hold_reason, d.row.released_at) {
            return Err(FinanceError::Held(reason.clone()).into());
        }
        let version = d.row.version;
        post_rows(conn, actor, &mut d)?;
        let row = &mut d.row;
        row.version += 1;
        if !repo::mark_posted(conn, row, version)? {
            return Err(AppError::Contended);
        }
        settle_corrected(conn, actor, row)?;
        let out = respond(conn, actor, &row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &row.id,
            Change::Action("post", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Cancels a posted document that nothing settles: its entry is reversed (dated `date`, by
/// default the document's), and it leaves the open items.
pub fn cancel_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
    req: CancelInvoiceRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let Loaded {
            mut row,
            allocations,
            ..
        } = load(conn, actor, &id.to_db())?;
        if row.status != "posted" {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "cancel",
                current: row.status.clone(),
            });
        }
        let date = req.date.unwrap_or(row.invoice_date);
        if date < row.invoice_date {
            return Err(AppError::field(
                "date",
                "must not be before the document's date",
            ));
        }
        if allocations.iter().any(|a| a.undone_on.is_none()) || row.open_amount != row.total {
            return Err(FinanceError::Settled(row.number.clone().unwrap_or_default()).into());
        }
        let reversal = crate::entry::service::reverse_document(
            conn,
            actor,
            row.entry_id.as_deref(),
            date,
            row.number.as_deref(),
        )?;
        row.cancel_entry_id = Some(reversal.id.to_db());
        row.cancelled_on = Some(date);
        row.updated_at = now();
        if !repo::mark_cancelled(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = respond(conn, actor, &row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &row.id,
            Change::Action("cancel", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Releases a held draft: it may be posted from now on.
pub fn release_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    actor.require(APPROVE)?;
    write_tx(conn, |conn| {
        let Loaded { mut row, .. } = load(conn, actor, &id.to_db())?;
        if row.status != "draft" || row.hold_reason.is_none() || row.released_at.is_some() {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "release",
                current: if row.status == "draft" {
                    "not held".into()
                } else {
                    row.status.clone()
                },
            });
        }
        let at = now();
        row.released_by = Some(actor.user_id.to_db());
        row.released_at = Some(at);
        row.updated_at = at;
        if !repo::mark_released(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = respond(conn, actor, &row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &row.id,
            Change::Action("release", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Deletes a draft; posted documents are cancelled instead.
pub fn delete_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let currency = crate::entry::service::company_currency(conn, &actor.company_id.to_db())?;
        let d = load(conn, actor, &id.to_db())?;
        let before = to_response(&d, &currency)?;
        if !repo::delete_draft(conn, &d.row.id)? {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "delete",
                current: d.row.status.clone(),
            });
        }
        audit::record(conn, actor, ENTITY, &d.row.id, Change::Deleted(&before))?;
        Ok(())
    })
}

/// What documents that still stand (drafts and posted; not cancelled, not deleted) bill of
/// another module's lines: `links` are (document, line number, quantity) rows; the answer is
/// the quantity per line number, and those documents in the order they were made.
pub fn billed_by_line(
    conn: &mut DbConnection,
    links: &[(String, i32, i64)],
) -> Result<(HashMap<i32, i64>, Vec<InvoiceRef>), AppError> {
    let mut ids: Vec<String> = links.iter().map(|(id, _, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
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
                id: InvoiceId::from_db(&id)?,
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
    respond(conn, actor, &id.to_db())
}

pub fn list_invoices(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: InvoiceListQuery,
) -> Result<InvoicePage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let company = actor.company_id.to_db();
    let filter = InvoiceFilter {
        kinds: q.kind.iter().map(enum_to_db).collect(),
        status: q.status.map(|s| enum_to_db(&s)),
        partner_id: q.partner_id.map(PartnerId::to_db),
        open: q.open,
        from: q.from,
        to: q.to,
        due_before: q.due_before,
        branches: branch_filter(actor),
    };
    let rows = repo::list(conn, &company, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.id);
    let currency = crate::entry::service::company_currency(conn, &company)?;
    Ok(InvoicePage {
        items: load_many(conn, rows)?
            .iter()
            .map(|d| to_response(d, &currency))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
