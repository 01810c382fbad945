use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Percent;

use super::dto::*;
use super::repo;
use crate::ids::TaxId;
use crate::tax;

/// Base and tax by rate of documents dated in the range, less those of notes and of
/// cancellations dated in it: the figures of a tax return, equal to the movement of the tax
/// accounts in the ledger over the same range.
pub fn tax_report(
    conn: &mut DbConnection,
    actor: &Actor,
    q: TaxReportQuery,
) -> Result<TaxReport, AppError> {
    actor.require(crate::report::service::READ)?;
    if q.to < q.from {
        return Err(AppError::field("to", "must not be before from"));
    }
    let company = actor.company_id;
    let rows = repo::taxed_lines(conn, company, q.from, q.to)?;
    let own = crate::entry::service::company_currency(conn, company)?;
    // (tax id) -> [sales base, sales tax, purchase base, purchase tax], in company currency
    // as each line was posted.
    let mut sums: std::collections::BTreeMap<TaxId, [i64; 4]> = Default::default();
    for (tax_id, kind, net, tax, date, cancelled_on, branch, rate) in rows {
        if !actor.sees_record_in(branch) {
            continue;
        }
        let net = crate::currency::to_company(net, rate, &own)?;
        let tax = crate::currency::to_company(tax, rate, &own)?;
        let kind: crate::invoice::dto::InvoiceKind = enum_from_db(&kind)?;
        let sign = if kind.is_note() { -1 } else { 1 };
        let slot = if kind.is_customer() { 0 } else { 2 };
        let e = sums.entry(tax_id).or_default();
        let in_range = |d: chrono::NaiveDate| d >= q.from && d <= q.to;
        let mut add = |s: i64| {
            e[slot] += s * net;
            e[slot + 1] += s * tax;
        };
        if in_range(date) {
            add(sign);
        }
        if cancelled_on.is_some_and(in_range) {
            add(-sign);
        }
    }
    let ids: Vec<TaxId> = sums.keys().copied().collect();
    let taxes = tax::repo::find_many(conn, company, &ids)?;
    let m = erp_core::money::Money::from_scaled;
    let mut lines = Vec::with_capacity(sums.len());
    let mut net_tax = 0;
    for t in &taxes {
        let s = sums[&t.id];
        net_tax += s[1] - s[3];
        lines.push(TaxReportLine {
            tax_id: t.id,
            code: t.code.clone(),
            name: t.name.clone(),
            kind: enum_from_db(&t.kind)?,
            rate: Percent::from_scaled(t.rate),
            sales_base: m(s[0]),
            sales_tax: m(s[1]),
            purchase_base: m(s[2]),
            purchase_tax: m(s[3]),
        });
    }
    lines.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(TaxReport {
        from: q.from,
        to: q.to,
        lines,
        net_tax: m(net_tax),
    })
}
