//! Payments: recorded and posted at once (bank against the open item of the partner),
//! allocated to invoices or bills in the same transaction or later.
//! Payments recorded many at once are in `batch.rs`.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::BranchId;
use erp_core::money::Money;
use erp_core::org::branch;
use erp_core::pagination::ListParams;
use erp_core::partner;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::PaymentRow;
use super::repo::{self, PaymentFilter};
use crate::account;
use crate::account::dto::AccountType;
use crate::allocation::dto::AllocationInput;
use crate::allocation::model::AllocationRow;
use crate::allocation::service::{self as allocation, Source, SourceKind};
use crate::currency::{fits_minor_unit, minor_unit, rate_value, to_company};
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::entry::dto::EntryResponse;
use crate::ids::{AccountId, PaymentId};
use crate::journal::dto::JournalKind;
use crate::rule::dto::PostingEvent;

pub use super::batch::*;

pub(super) const ENTITY: &str = "fin_payment";
pub const READ: &str = "finance.payment.read";
pub const WRITE: &str = "finance.payment.write";

pub(super) fn to_response(
    row: &PaymentRow,
    allocations: &[AllocationRow],
    company_currency: &str,
) -> Result<PaymentResponse, AppError> {
    Ok(PaymentResponse {
        id: row.id,
        kind: enum_from_db(&row.kind)?,
        number: row.number.clone(),
        status: row.status,
        partner_id: row.partner_id,
        branch_id: row.branch_id,
        payment_date: row.payment_date,
        account_id: row.account_id,
        currency: row.currency.clone(),
        exchange_rate: rate_value(row.exchange_rate),
        amount: Money::from_scaled(row.amount),
        unallocated: Money::from_scaled(row.unallocated),
        company_currency: company_currency.to_string(),
        amount_in_company_currency: Money::from_scaled(row.amount_company),
        reference: row.reference.clone(),
        entry_id: row.entry_id,
        cancelled_on: row.cancelled_on,
        cancel_entry_id: row.cancel_entry_id,
        allocations: allocations
            .iter()
            .filter(|a| a.payment_id.as_ref() == Some(&row.id))
            .map(allocation::to_response)
            .collect::<Result<_, _>>()?,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub(super) fn respond(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PaymentId,
) -> Result<PaymentResponse, AppError> {
    let company = actor.company_id;
    let row = repo::find(conn, company, id)?
        .filter(|r| actor.sees_record_in(r.branch_id))
        .ok_or(AppError::NotFound("payment"))?;
    let allocations = crate::allocation::repo::of_payments(conn, std::slice::from_ref(&row.id))?;
    let currency = crate::entry::service::company_currency(conn, company)?;
    to_response(&row, &allocations, &currency)
}

pub(super) fn source<'a>(row: &'a PaymentRow) -> Source<'a> {
    Source {
        kind: SourceKind::Payment,
        id: row.id.into(),
        partner_id: row.partner_id,
        customer: row.kind == enum_to_db(&PaymentKind::CustomerReceipt),
        label: format!(
            "payment {}",
            row.number.clone().unwrap_or_else(|| row.id.to_string())
        ),
        currency: &row.currency,
        exchange_rate: row.exchange_rate,
    }
}

/// Applies `allocations` of a posted payment, each dated `date` or the later of the
/// payment's and the invoice's date.
pub(super) fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &PaymentRow,
    allocations: &[AllocationInput],
    date: Option<NaiveDate>,
) -> Result<(), AppError> {
    let src = source(row);
    for (i, a) in allocations.iter().enumerate() {
        let invoice_date = crate::invoice::repo::find(conn, row.company_id, a.invoice_id)?
            .map_or(row.payment_date, |inv| inv.invoice_date);
        let on = date.unwrap_or(row.payment_date.max(invoice_date));
        allocation::allocate(conn, actor, &src, a, &format!("allocations[{i}]"), on)?;
    }
    Ok(())
}

/// Where a payment's money comes from or goes to: a branch the actor posts to (one is needed
/// when the actor is limited to some), and an active asset (bank or cash) account, of the
/// payment's currency if it is restricted to one. Returns the currency the account is
/// restricted to.
pub(super) fn check_source(
    conn: &mut DbConnection,
    actor: &Actor,
    v: &mut Validator,
    branch_id: Option<BranchId>,
    account_id: AccountId,
    currency: Option<&str>,
) -> Result<Option<String>, AppError> {
    let company = actor.company_id;
    branch::service::check_booking(conn, v, actor, branch_id)?;
    match account::repo::find(conn, company, account_id)? {
        None => v.add("account_id", "no such account in the company"),
        Some(a) if !a.active => v.add("account_id", "the account is inactive"),
        Some(a) if a.account_type != AccountType::Asset => {
            v.add("account_id", "a bank or cash account is an asset account")
        }
        Some(a) => {
            if let (Some(only), Some(c)) = (&a.currency, currency) {
                if only != c {
                    v.add(
                        "currency",
                        format!("the account {} holds {only} only", a.code),
                    );
                }
            }
            return Ok(a.currency);
        }
    }
    Ok(None)
}

pub fn create_payment(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePaymentRequest,
) -> Result<PaymentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let own = crate::entry::service::company_currency(conn, company)?;
        let currency = check_new(conn, actor, &req, &own)?;
        let id = req.id.unwrap_or_default();
        if repo::exists(conn, id)? {
            return Err(AppError::conflict(
                "duplicate_id",
                "a payment with this id exists",
            ));
        }
        let amount = req.amount.to_scaled()?;
        let exchange_rate = crate::rate::service::document_rate(
            conn,
            company,
            &own,
            &currency,
            req.payment_date,
            "currency",
        )?;
        let amount_company = to_company(amount, exchange_rate, &own)?;
        let entry = post_entry(
            conn,
            actor,
            &req,
            id,
            &own,
            &currency,
            (amount, amount_company),
        )?;
        let at = now();
        let row = PaymentRow {
            id,
            company_id: company,
            kind: enum_to_db(&req.kind),
            number: entry.number.clone(),
            partner_id: req.partner_id,
            branch_id: req.branch_id,
            payment_date: req.payment_date,
            account_id: req.account_id,
            amount,
            unallocated: amount,
            reference: req.reference.clone(),
            status: PaymentStatus::Posted,
            entry_id: Some(entry.id),
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
            cancelled_on: None,
            cancel_entry_id: None,
            currency,
            exchange_rate,
            amount_company,
            unallocated_company: amount_company,
        };
        repo::insert(conn, &row)?;
        apply(conn, actor, &row, &req.allocations, None)?;
        let out = respond(conn, actor, id)?;
        audit::record(conn, actor, ENTITY, id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Checks a new payment: the partner on the right side, where the money comes from or goes
/// to, an amount in whole minor units of its currency. Returns the currency: the one asked
/// for, else the account's, else the company's.
fn check_new(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreatePaymentRequest,
    own: &str,
) -> Result<String, AppError> {
    let customer = req.kind.is_customer();
    let mut v = Validator::new();
    v.opt_text("reference", req.reference.as_deref(), 200);
    match partner::repo::find(conn, req.partner_id, actor.company_id)? {
        None => v.add("partner_id", "no such business partner in the company"),
        Some(p) if customer && !p.is_customer => {
            v.add("partner_id", "the partner is not a customer")
        }
        Some(p) if !customer && !p.is_supplier => {
            v.add("partner_id", "the partner is not a supplier")
        }
        Some(_) => {}
    }
    let restricted = check_source(
        conn,
        actor,
        &mut v,
        req.branch_id,
        req.account_id,
        req.currency.as_deref(),
    )?;
    let currency = req
        .currency
        .clone()
        .or(restricted)
        .unwrap_or_else(|| own.to_string());
    erp_core::org::check_currency(&mut v, "currency", &currency);
    if req.amount.value() <= Decimal::ZERO {
        v.add("amount", "must be more than zero");
    } else if !fits_minor_unit(req.amount, &currency) {
        v.add(
            "amount",
            format!(
                "has more than {} decimal places, finer than {currency}'s minor unit",
                minor_unit(&currency)
            ),
        );
    }
    if req.allocations.len() > 1000 {
        v.add("allocations", "at most 1000 allocations");
    }
    v.finish()?;
    Ok(currency)
}

/// Posts the payment's entry: the bank or cash account against the partner's receivable or
/// payable, in the payment's currency too when it is not the company's.
fn post_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreatePaymentRequest,
    id: PaymentId,
    own: &str,
    currency: &str,
    (amount, amount_company): (i64, i64),
) -> Result<EntryResponse, AppError> {
    let customer = req.kind.is_customer();
    let open_item = crate::rule::service::required_account(
        conn,
        actor.company_id,
        if customer {
            PostingEvent::SalesReceivable
        } else {
            PostingEvent::PurchasePayable
        },
    )?;
    let dims = Dimensions {
        branch_id: req.branch_id,
        ..Default::default()
    };
    // Receipts debit the bank and credit the receivable; payments the other way round.
    let sign = if customer { 1 } else { -1 };
    // A payment in another currency books its amount in it on both lines too.
    let foreign = (currency != own).then_some(currency);
    let mut b = EntryBuilder::new();
    b.add_in(
        req.account_id,
        dims.clone(),
        sign * amount_company,
        foreign.map(|c| (c, sign * amount)),
    );
    b.add_in(
        open_item,
        Dimensions {
            partner_id: Some(req.partner_id),
            ..dims
        },
        -sign * amount_company,
        foreign.map(|c| (c, -sign * amount)),
    );
    let entry = b.post(
        conn,
        actor,
        JournalKind::Bank,
        req.payment_date,
        format!(
            "{} {}",
            if customer { "Receipt" } else { "Payment" },
            req.reference.as_deref().unwrap_or_default()
        )
        .trim_end()
        .to_string(),
        ("fin_payment", id),
    )?;
    Ok(entry)
}

/// Allocates unallocated money of a payment. Concurrent allocations of one payment or to one
/// invoice never settle more than is there: the loser gets 409 `over_allocation`.
pub fn allocate_payment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PaymentId,
    req: AllocatePaymentRequest,
) -> Result<PaymentResponse, AppError> {
    actor.require(WRITE)?;
    let mut v = Validator::new();
    v.check(
        !req.allocations.is_empty(),
        "allocations",
        "name at least one invoice",
    );
    v.check(
        req.allocations.len() <= 1000,
        "allocations",
        "at most 1000 allocations",
    );
    v.finish()?;
    write_tx_retrying(conn, |conn| {
        let row = repo::find(conn, actor.company_id, id)?
            .filter(|r| actor.sees_record_in(r.branch_id))
            .ok_or(AppError::NotFound("payment"))?;
        if let Some(d) = req.date {
            if d < row.payment_date {
                return Err(AppError::field(
                    "date",
                    "must not be before the payment's date",
                ));
            }
        }
        apply(conn, actor, &row, &req.allocations, req.date)?;
        let out = respond(conn, actor, row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("allocate", Some(&out)),
        )?;
        Ok(out)
    })
}

pub fn get_payment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PaymentId,
) -> Result<PaymentResponse, AppError> {
    actor.require(READ)?;
    respond(conn, actor, id)
}

pub fn list_payments(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PaymentListQuery,
) -> Result<PaymentPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let company = actor.company_id;
    filter::names(q.partner_id, |p| partner::service::load(conn, actor, p))?;
    let filter = PaymentFilter {
        kind: q.kind.map(|k| enum_to_db(&k)),
        partner_id: q.partner_id,
        unallocated: q.unallocated,
        from: q.from,
        to: q.to,
        branches: actor.visible_branches(),
    };
    let rows = repo::list(conn, company, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let ids: Vec<PaymentId> = rows.iter().map(|r| r.id).collect();
    let allocations = crate::allocation::repo::of_payments(conn, &ids)?;
    let currency = crate::entry::service::company_currency(conn, company)?;
    Ok(PaymentPage {
        items: rows
            .iter()
            .map(|r| to_response(r, &allocations, &currency))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Cancels a posted payment no bank line accounts for: each allocation is undone on `date`
/// (the documents it settled are open again, its discount or write-off entry reversed), then
/// the payment's entry is reversed. The aging and statements of earlier dates still show it.
pub fn cancel_payment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PaymentId,
    req: CancelPaymentRequest,
) -> Result<PaymentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx_retrying(conn, |conn| {
        let mut row = repo::find(conn, company, id)?
            .filter(|r| actor.sees_record_in(r.branch_id))
            .ok_or(AppError::NotFound("payment"))?;
        if row.status != PaymentStatus::Posted {
            return Err(AppError::InvalidState {
                entity: "payment",
                action: "cancel",
                current: row.status.to_string(),
            });
        }
        let allocations: Vec<AllocationRow> =
            crate::allocation::repo::of_payments(conn, std::slice::from_ref(&row.id))?
                .into_iter()
                .filter(|a| a.undone_on.is_none())
                .collect();
        let date = req.date.unwrap_or(row.payment_date);
        let latest = allocations
            .iter()
            .map(|a| a.allocated_on)
            .max()
            .unwrap_or(row.payment_date)
            .max(row.payment_date);
        if date < latest {
            return Err(AppError::field(
                "date",
                format!("must not be before {latest}, the payment's or its last allocation's date"),
            ));
        }
        for a in &allocations {
            allocation::undo(conn, actor, a, date)?;
        }
        let reversal = crate::entry::service::reverse_document(
            conn,
            actor,
            row.entry_id,
            date,
            row.number.as_deref(),
        )?;
        row.cancelled_on = Some(date);
        row.cancel_entry_id = Some(reversal.id);
        if !repo::mark_cancelled(conn, &row)? {
            return Err(AppError::conflict(
                "payment_reconciled",
                "a bank statement line accounts for this payment; it cannot be cancelled",
            ));
        }
        let out = respond(conn, actor, row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("cancel", Some(&out)),
        )?;
        Ok(out)
    })
}
