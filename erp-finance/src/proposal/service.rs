//! Proposing and paying supplier bills by due date and discount date.

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Money;
use erp_core::partner;

use super::dto::*;
use crate::allocation::checks::{discount_left, DiscountTerms};
use crate::allocation::dto::AllocationInput;
use crate::invoice::dto::InvoiceKind;
use crate::payment::dto::{CreatePaymentRequest, PaymentKind};
use crate::terms::instalment::{open_parts, schedule};

/// The bills to pay on `pay_on`: due by `due_by`, or with a discount still open that day.
fn propose(
    conn: &mut DbConnection,
    actor: &Actor,
    pay_on: NaiveDate,
    due_by: NaiveDate,
    currency: Option<String>,
) -> Result<PaymentProposal, AppError> {
    let company = actor.company_id;
    let currency = match currency {
        Some(c) => {
            let mut v = erp_core::error::Validator::new();
            erp_core::org::check_currency(&mut v, "currency", &c);
            v.finish()?;
            c
        }
        None => crate::entry::service::company_currency(conn, company)?,
    };
    let bills =
        crate::invoice::repo::open_of_kind(conn, company, &enum_to_db(&InvoiceKind::SupplierBill))?;
    let mut suppliers: Vec<ProposedSupplier> = Vec::new();
    let (mut total, mut discounts) = (0i64, 0i64);
    for b in bills {
        if !actor.sees_record_in(b.branch_id) || b.currency != currency {
            continue;
        }
        let terms = DiscountTerms {
            until: b.discount_until,
            rate: b.discount_rate,
            total: b.total,
        };
        let discount = discount_left(conn, b.id, terms, pay_on, &currency)?.min(b.open_amount);
        // What is due by then: every open instalment due on or before `due_by`.
        let parts = open_parts(
            &schedule(b.instalments.as_deref(), b.total, b.due_date)?,
            b.total - b.open_amount,
        );
        let due_now: i64 = parts
            .iter()
            .filter(|p| p.due_date <= due_by)
            .map(|p| p.amount)
            .sum();
        if due_now == 0 && discount == 0 {
            continue;
        }
        // Taking the discount pays all that is open; else what is due.
        let pay = if discount > 0 {
            b.open_amount - discount
        } else {
            due_now
        };
        if suppliers.last().map(|s| s.partner_id) != Some(b.partner_id) {
            let name = partner::repo::find(conn, b.partner_id, company)?
                .map(|p| p.name)
                .unwrap_or_default();
            suppliers.push(ProposedSupplier {
                partner_id: b.partner_id,
                partner_name: name,
                bills: Vec::new(),
                total: Money::ZERO,
            });
        }
        let s = suppliers
            .last_mut()
            .ok_or_else(|| AppError::Internal("a supplier line was just made".into()))?;
        s.total = Money::from_scaled(s.total.to_scaled()? + pay);
        s.bills.push(ProposedBill {
            invoice_id: b.id,
            number: b.number.clone(),
            reference: b.reference.clone(),
            due_date: b.due_date,
            discount_until: b.discount_until,
            open_amount: Money::from_scaled(b.open_amount),
            discount: Money::from_scaled(discount),
            pay: Money::from_scaled(pay),
        });
        total += pay;
        discounts += discount;
    }
    suppliers.sort_by(|a, b| a.partner_name.cmp(&b.partner_name));
    Ok(PaymentProposal {
        pay_on,
        due_by,
        currency,
        suppliers,
        total: Money::from_scaled(total),
        discounts: Money::from_scaled(discounts),
    })
}

fn dates(pay_on: Option<NaiveDate>, due_by: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let pay_on = pay_on.unwrap_or_else(|| chrono::Utc::now().date_naive());
    (pay_on, due_by.unwrap_or(pay_on))
}

pub fn payment_proposal(
    conn: &mut DbConnection,
    actor: &Actor,
    q: PaymentProposalQuery,
) -> Result<PaymentProposal, AppError> {
    actor.require(crate::invoice::service::READ)?;
    let (pay_on, due_by) = dates(q.pay_on, q.due_by);
    propose(conn, actor, pay_on, due_by, q.currency)
}

/// Pays the proposal: a payment per supplier, allocated to its bills with the discounts
/// taken. All or nothing: if another client paid one of the bills meanwhile, 409
/// `over_allocation` and no payment is made.
pub fn execute_proposal(
    conn: &mut DbConnection,
    actor: &Actor,
    req: ExecuteProposalRequest,
) -> Result<PaymentRun, AppError> {
    actor.require(crate::payment::service::WRITE)?;
    actor.require(crate::invoice::service::READ)?;
    let (pay_on, due_by) = dates(Some(req.pay_on), req.due_by);
    write_tx(conn, |conn| {
        let proposal = propose(conn, actor, pay_on, due_by, req.currency.clone())?;
        let mut payments = Vec::new();
        let mut total = 0i64;
        for s in proposal.suppliers {
            if let Some(only) = &req.partner_ids {
                if !only.contains(&s.partner_id) {
                    continue;
                }
            }
            if s.total.to_scaled()? <= 0 {
                continue;
            }
            total += s.total.to_scaled()?;
            let allocations = s
                .bills
                .iter()
                .map(|b| AllocationInput {
                    invoice_id: b.invoice_id,
                    amount: b.pay,
                    discount: (b.discount.to_scaled().unwrap_or(0) > 0).then_some(b.discount),
                    write_off: None,
                })
                .collect();
            payments.push(crate::payment::service::create_payment(
                conn,
                actor,
                CreatePaymentRequest {
                    id: None,
                    kind: PaymentKind::SupplierPayment,
                    partner_id: s.partner_id,
                    branch_id: req.branch_id,
                    payment_date: pay_on,
                    account_id: req.account_id,
                    amount: s.total,
                    currency: Some(proposal.currency.clone()),
                    reference: Some(format!("Payment run {pay_on}")),
                    allocations,
                },
            )?);
        }
        if payments.is_empty() {
            return Err(AppError::conflict(
                "nothing_to_pay",
                "no bill of the suppliers named is due or has a discount open on that date",
            ));
        }
        Ok(PaymentRun {
            pay_on,
            payments,
            total: Money::from_scaled(total),
        })
    })
}
