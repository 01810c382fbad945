use diesel::prelude::*;
use erp_core::db::schema::fin_payment_terms as t;
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::PaymentTermsRow;
use crate::ids::PaymentTermsId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PaymentTermsId,
) -> QueryResult<Option<PaymentTermsRow>> {
    t::table
        .find(id)
        .filter(t::company_id.eq(company_id))
        .select(PaymentTermsRow::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        t::table
            .filter(t::company_id.eq(company_id))
            .filter(t::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &PaymentTermsRow) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<PaymentTermsRow>> {
    let mut q = t::table.filter(t::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(t::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(t::id.gt(after.clone()));
    }
    q.order(t::id.asc())
        .limit(page.fetch_limit())
        .select(PaymentTermsRow::as_select())
        .load(conn)
}
