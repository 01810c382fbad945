use diesel::prelude::*;
use erp_core::db::DbConnection;
use erp_core::ids::BranchId;
use erp_core::ids::CompanyId;

use crate::ids::TaxId;
use crate::invoice::dto::InvoiceStatus;

/// A tax of a line for the tax report: (tax, document kind, base, tax, document date,
/// cancellation date, branch, exchange rate).
pub type TaxedLine = (
    TaxId,
    String,
    i64,
    i64,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    Option<BranchId>,
    i64,
);

/// Taxes of the lines of documents posted (and perhaps cancelled since) that are dated, or were
/// cancelled, within `from..=to`, with their document's exchange rate.
pub fn taxed_lines(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> QueryResult<Vec<TaxedLine>> {
    use erp_core::db::schema::{fin_invoice_line_taxes as l, fin_invoices as i};
    l::table
        .inner_join(i::table)
        .filter(i::company_id.eq(company_id))
        .filter(i::status.ne(InvoiceStatus::Draft))
        .filter(
            i::invoice_date
                .between(from, to)
                .or(i::cancelled_on.between(from, to)),
        )
        .select((
            l::tax_id,
            i::kind,
            l::base,
            l::tax,
            i::invoice_date,
            i::cancelled_on,
            i::branch_id,
            i::exchange_rate,
        ))
        .load(conn)
}
