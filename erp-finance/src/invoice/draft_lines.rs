//! The lines of a draft document: checked field by field, then priced with their taxes.

use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Percent};
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{InvoiceLineRow, InvoiceLineTaxRow};
use crate::account;
use crate::account::model::AccountRow;
use crate::currency::round_to_minor_unit;
use crate::ids::InvoiceId;
use crate::ids::{AccountId, TaxGroupId, TaxId};
use crate::rule::dto::PostingEvent;
use crate::tax::calc::{self, Line, Rounding};
use crate::tax::model::TaxRow;
use crate::tax_group::service::Expanded;
use crate::{tax, tax_group};

/// The lines as checked: each line's account, the taxes they name (with their groups'), and
/// what the tax arithmetic takes.
pub(super) struct Lines {
    pub account_ids: Vec<Option<AccountId>>,
    pub taxes: Vec<TaxRow>,
    pub calc: Vec<Line>,
}

/// Checks the lines: how many, and each one's account, quantity, price, codes, tax or tax
/// group, goods cleared and discount. Problems go to `v`.
pub(super) fn check_lines(
    conn: &mut DbConnection,
    company: CompanyId,
    req: &CreateInvoiceRequest,
    currency: &str,
    v: &mut Validator,
) -> Result<Lines, AppError> {
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
            company,
            default_event,
        )?)
    } else {
        None
    };
    let account_ids: Vec<Option<AccountId>> = req
        .lines
        .iter()
        .map(|l| l.account_id.or(default_account))
        .collect();
    let known: Vec<AccountId> = account_ids.iter().flatten().copied().collect();
    let accounts = account::repo::find_many(conn, company, &known)?;
    let tax_ids: Vec<TaxId> = req.lines.iter().filter_map(|l| l.tax_id).collect();
    let group_ids: Vec<TaxGroupId> = req.lines.iter().filter_map(|l| l.tax_group_id).collect();
    let groups = tax_group::service::expand(conn, company, &group_ids)?;
    // The taxes lines name and those of their groups; a tax's place here is its key in the
    // arithmetic, so a tax shared by lines is rounded as one rate.
    let mut taxes = tax::repo::find_many(conn, company, &tax_ids)?;
    for (t, _) in groups.iter().flat_map(|g| &g.members) {
        if !taxes.iter().any(|x| x.id == t.id) {
            taxes.push(t.clone());
        }
    }
    let mut calc = Vec::with_capacity(req.lines.len());
    for (i, l) in req.lines.iter().enumerate() {
        let account = accounts.iter().find(|a| Some(a.id) == account_ids[i]);
        calc.push(check_line(
            v,
            (i, l),
            req.kind,
            account,
            (&taxes, &groups),
            currency,
        ));
    }
    Ok(Lines {
        account_ids,
        taxes,
        calc,
    })
}

/// Checks line `i` and gives what the tax arithmetic takes of it: its amount (quantity ×
/// price less the discount, rounded to the minor unit) and its taxes by their place in
/// `taxes`.
fn check_line(
    v: &mut Validator,
    (i, l): (usize, &InvoiceLineInput),
    kind: InvoiceKind,
    account: Option<&AccountRow>,
    (taxes, groups): (&[TaxRow], &[Expanded]),
    currency: &str,
) -> Line {
    let f = |name: &str| format!("lines[{i}].{name}");
    v.text(&f("description"), &l.description, 500);
    match account {
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
        (Some(t), None) => match taxes.iter().position(|x| x.id == t) {
            Some(k) if taxes[k].active => {
                line_taxes.push((k, tax::service::rate_of(&taxes[k], false)))
            }
            _ => v.add(f("tax_id"), "no such active tax in the company"),
        },
        (None, Some(g)) => match groups.iter().find(|e| e.group.id == g) {
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
        if kind.is_customer() {
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
        currency,
    );
    if Money::new(amount).is_err() {
        v.add(f("unit_price"), "quantity × price is too large to store");
    }
    Line {
        amount,
        taxes: line_taxes,
    }
}

/// The rows of a document's lines and of their taxes, priced.
pub(super) struct Priced {
    pub lines: Vec<InvoiceLineRow>,
    pub line_taxes: Vec<InvoiceLineTaxRow>,
    pub net: i64,
    pub tax: i64,
}

impl Priced {
    pub fn total(&self) -> i64 {
        self.net + self.tax
    }
}

/// Prices the checked lines of document `id`: taxes computed and rounded as `rounding` says,
/// each line's net and tax, and the document's.
pub(super) fn price(
    id: InvoiceId,
    req: &CreateInvoiceRequest,
    checked: &Lines,
    rounding: Rounding,
    currency: &str,
) -> Result<Priced, AppError> {
    let priced = calc::compute(&checked.calc, rounding, currency);
    let scaled = |d: Decimal| Money::new(d).and_then(Money::to_scaled);
    let mut lines = Vec::with_capacity(req.lines.len());
    let mut line_taxes = Vec::new();
    let (mut net, mut tax_total) = (0i64, 0i64);
    for (i, (l, p)) in req.lines.iter().zip(&priced).enumerate() {
        let (line_net, line_tax) = (scaled(p.net)?, scaled(p.tax())?);
        for (k, ((key, _), (base, tax))) in checked.calc[i].taxes.iter().zip(&p.taxes).enumerate() {
            line_taxes.push(InvoiceLineTaxRow {
                invoice_id: id,
                line_no: i as i32 + 1,
                seq: k as i32,
                tax_id: checked.taxes[*key].id,
                base: scaled(*base)?,
                tax: scaled(*tax)?,
            });
        }
        net = net
            .checked_add(line_net)
            .ok_or_else(|| AppError::field("lines", "the total is too large to store"))?;
        tax_total += line_tax;
        lines.push(InvoiceLineRow {
            invoice_id: id,
            line_no: i as i32 + 1,
            description: l.description.trim().to_string(),
            account_id: checked.account_ids[i]
                .ok_or_else(|| AppError::field(format!("lines[{i}].account_id"), "is required"))?,
            quantity: l.quantity.to_scaled()?,
            unit_price: l.unit_price.to_scaled()?,
            tax_id: l.tax_id,
            net: line_net,
            tax: line_tax,
            cost_center: l.cost_center.clone(),
            project: l.project.clone(),
            discount_percent: l.discount_percent.unwrap_or_default().to_scaled()?,
            clears: l.clears.map(Money::to_scaled).transpose()?,
            tax_group_id: l.tax_group_id,
        });
    }
    Ok(Priced {
        lines,
        line_taxes,
        net,
        tax: tax_total,
    })
}
