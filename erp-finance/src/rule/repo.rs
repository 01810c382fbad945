use diesel::prelude::*;
use erp_core::db::schema::{fin_account_rules as r, fin_accounts as a};
use erp_core::db::{update_or_insert, DbConnection};
use erp_core::ids::CompanyId;

use super::model::RuleRow;

pub fn all_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(RuleRow, String)>> {
    r::table
        .inner_join(a::table.on(a::id.eq(r::account_id)))
        .filter(r::company_id.eq(company_id))
        .order((r::event.asc(), r::scope_type.asc(), r::scope_id.asc()))
        .select((RuleRow::as_select(), a::code))
        .load(conn)
}

/// Every rule of the company, without their accounts' codes: a few dozen rows, read in one
/// round trip by each posting (none at all: the company keeps no books).
pub fn of_company(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<RuleRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .select(RuleRow::as_select())
        .load(conn)
}

pub fn save(conn: &mut DbConnection, row: &RuleRow) -> QueryResult<()> {
    update_or_insert(
        conn,
        |c| {
            diesel::update(r::table.find((
                &row.company_id,
                &row.event,
                &row.scope_type,
                &row.scope_id,
            )))
            .set((
                r::account_id.eq(&row.account_id),
                r::updated_at.eq(row.updated_at),
            ))
            .execute(c)
        },
        |c| diesel::insert_into(r::table).values(row).execute(c),
    )
    .map(|_| ())
}
