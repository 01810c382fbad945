//! Weeks of cash: the opening balance of the cash accounts, the open items of the ledger, and
//! the items other modules hand in.

use chrono::{Days, NaiveDate};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Money;

use super::dto::*;
use crate::invoice::dto::InvoiceKind;
use crate::report::service::READ;
use crate::terms::instalment::{in_company_currency, open_parts, schedule};

/// Checks the query; the caller collects the other modules' items with the horizon.
pub fn horizon(actor: &Actor, q: &CashForecastQuery) -> Result<Horizon, AppError> {
    actor.require(READ)?;
    let mut v = Validator::new();
    let weeks = q.weeks.unwrap_or(13);
    v.check((1..=104).contains(&weeks), "weeks", "1 to 104");
    let sales_days = q.sales_days.unwrap_or(30);
    let purchase_days = q.purchase_days.unwrap_or(30);
    v.check(sales_days <= 3650, "sales_days", "at most 3650");
    v.check(purchase_days <= 3650, "purchase_days", "at most 3650");
    let cash_accounts: Vec<String> = q
        .cash_accounts
        .as_deref()
        .unwrap_or("1000,1100")
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    v.check(
        !cash_accounts.is_empty() && cash_accounts.len() <= 50,
        "cash_accounts",
        "1 to 50 account codes",
    );
    v.finish()?;
    Ok(Horizon {
        from: q.from.unwrap_or_else(|| chrono::Utc::now().date_naive()),
        weeks,
        sales_days,
        purchase_days,
        include_pipeline: q.include_pipeline.unwrap_or(true),
        cash_accounts,
    })
}

/// An expected amount rounded to the cent, as Money ×10⁴.
pub fn to_cents(value: rust_decimal::Decimal) -> i64 {
    let rounded =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    (rounded * rust_decimal::Decimal::new(10_000, 0))
        .try_into()
        .unwrap_or(0)
}

/// What other modules expect in a document's currency, in company currency at the rate in
/// force on the forecast's first day (each currency looked up once).
pub struct Converter {
    company: CompanyId,
    own: String,
    date: NaiveDate,
    rates: std::collections::HashMap<String, i64>,
}

impl Converter {
    pub fn new(conn: &mut DbConnection, company: CompanyId, h: &Horizon) -> Result<Self, AppError> {
        Ok(Self {
            company,
            own: crate::entry::service::company_currency(conn, company)?,
            date: h.from,
            rates: Default::default(),
        })
    }

    /// `value` in `currency` as Money ×10⁴ in company currency, rounded to its minor unit,
    /// and for another currency that currency and the value rounded to its minor unit. 422
    /// on `from` when the currency has no rate on or before it.
    pub fn convert(
        &mut self,
        conn: &mut DbConnection,
        currency: &str,
        value: rust_decimal::Decimal,
    ) -> Result<(i64, Option<(String, i64)>), AppError> {
        if currency == self.own {
            return Ok((to_cents(value), None));
        }
        let rate = match self.rates.get(currency) {
            Some(r) => *r,
            None => {
                let r = crate::rate::service::document_rate(
                    conn,
                    self.company,
                    &self.own,
                    currency,
                    self.date,
                    "from",
                )?;
                self.rates.insert(currency.to_string(), r);
                r
            }
        };
        let foreign =
            erp_core::money::Money::new(crate::currency::round_to_minor_unit(value, currency))?
                .to_scaled()?;
        Ok((
            crate::currency::to_company(foreign, rate, &self.own)?,
            Some((currency.to_string(), foreign)),
        ))
    }
}

/// `date` moved on by `days`.
pub fn after(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(days.into()))
        .unwrap_or(date)
}

/// Open customer invoices and supplier bills by due date: what they still bring or take.
fn ledger_items(conn: &mut DbConnection, company: CompanyId) -> Result<Vec<CashItem>, AppError> {
    let mut out = Vec::new();
    for (kind, source, sign) in [
        (InvoiceKind::CustomerInvoice, CashSource::Receivable, 1),
        (InvoiceKind::SupplierBill, CashSource::Payable, -1),
    ] {
        for d in crate::invoice::repo::open_of_kind(conn, company, &enum_to_db(&kind))? {
            // Each open instalment at its due date, at its booked value.
            let all = schedule(d.instalments.as_deref(), d.total, d.due_date)?;
            let parts = open_parts(&all, d.total - d.open_amount);
            for p in in_company_currency(&parts, d.open_amount, d.open_company, d.due_date) {
                out.push(CashItem {
                    source,
                    reference: d.number.clone().unwrap_or_default(),
                    date: p.due_date,
                    amount: sign * p.amount,
                    foreign: None,
                });
            }
        }
    }
    Ok(out)
}

/// The forecast: cash today in the accounts of the horizon, then every item (the ledger's
/// own and `others`) in the week of its date, overdue ones in the first.
pub fn forecast(
    conn: &mut DbConnection,
    actor: &Actor,
    h: &Horizon,
    others: Vec<CashItem>,
) -> Result<CashForecast, AppError> {
    let company = actor.company_id;
    let mut opening = 0i64;
    let mut counted = Vec::new();
    for code in &h.cash_accounts {
        let Some(a) = crate::account::repo::find_by_code(conn, company, code)? else {
            return Err(AppError::field(
                "cash_accounts",
                format!("no account with the code '{code}'"),
            ));
        };
        opening += crate::bank::repo::book_balance(conn, a.id)?;
        counted.push(a.code);
    }
    let mut items = ledger_items(conn, company)?;
    items.extend(others);
    let week_of = |date: NaiveDate| -> Option<u32> {
        let days = (date - h.from).num_days().max(0);
        let w = (days / 7) as u32;
        (w < h.weeks).then_some(w)
    };
    let mut lines: Vec<CashLine> = Vec::new();
    let mut sums = vec![(0i64, 0i64); h.weeks as usize];
    for i in items.into_iter().filter(|i| i.amount != 0) {
        let Some(w) = week_of(i.date) else { continue };
        let slot = &mut sums[w as usize];
        if i.amount > 0 {
            slot.0 += i.amount;
        } else {
            slot.1 += i.amount;
        }
        lines.push(CashLine {
            source: i.source,
            reference: i.reference,
            date: i.date,
            week: w,
            amount: Money::from_scaled(i.amount),
            amount_in_currency: i.foreign.as_ref().map(|f| Money::from_scaled(f.1)),
            currency: i.foreign.map(|f| f.0),
        });
    }
    lines.sort_by_key(|a| (a.week, a.date));
    let mut cash = opening;
    let weeks = sums
        .iter()
        .enumerate()
        .map(|(w, (inflow, outflow))| {
            cash += inflow + outflow;
            let starts_on = after(h.from, 7 * w as u32);
            CashWeek {
                starts_on,
                ends_on: after(starts_on, 6),
                inflow: Money::from_scaled(*inflow),
                outflow: Money::from_scaled(*outflow),
                net: Money::from_scaled(inflow + outflow),
                closing: Money::from_scaled(cash),
            }
        })
        .collect();
    Ok(CashForecast {
        from: h.from,
        currency: crate::entry::service::company_currency(conn, company)?,
        cash_accounts: counted,
        opening_cash: Money::from_scaled(opening),
        weeks,
        lines,
    })
}
