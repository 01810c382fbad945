use diesel::prelude::*;
use erp_core::db::schema::{fin_tax_group_members as m, fin_tax_groups as g};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::{TaxGroupMemberRow, TaxGroupRow};
use crate::ids::TaxGroupId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: TaxGroupId,
) -> QueryResult<Option<TaxGroupRow>> {
    g::table
        .find(id)
        .filter(g::company_id.eq(company_id))
        .select(TaxGroupRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(
    conn: &mut DbConnection,
    company_id: CompanyId,
    ids: &[TaxGroupId],
) -> QueryResult<Vec<TaxGroupRow>> {
    g::table
        .filter(g::company_id.eq(company_id))
        .filter(g::id.eq_any(ids))
        .select(TaxGroupRow::as_select())
        .load(conn)
}

/// The members of these groups, each group's in order.
pub fn members_of(
    conn: &mut DbConnection,
    group_ids: &[TaxGroupId],
) -> QueryResult<Vec<TaxGroupMemberRow>> {
    m::table
        .filter(m::group_id.eq_any(group_ids))
        .order((m::group_id, m::seq))
        .select(TaxGroupMemberRow::as_select())
        .load(conn)
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        g::table
            .filter(g::company_id.eq(company_id))
            .filter(g::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn exists(conn: &mut DbConnection, id: TaxGroupId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(g::table.find(id))).get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    row: &TaxGroupRow,
    members: &[TaxGroupMemberRow],
) -> QueryResult<()> {
    diesel::insert_into(g::table).values(row).execute(conn)?;
    for member in members {
        diesel::insert_into(m::table).values(member).execute(conn)?;
    }
    Ok(())
}

/// Changes name and active of a group still at `expected`; false when it moved on.
pub fn update_versioned(
    conn: &mut DbConnection,
    row: &TaxGroupRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        g::table
            .filter(g::id.eq(&row.id))
            .filter(g::version.eq(expected)),
    )
    .set((
        g::name.eq(&row.name),
        g::active.eq(row.active),
        g::version.eq(row.version),
        g::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<TaxGroupRow>> {
    let mut q = g::table.filter(g::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(g::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(g::id.gt(after.clone()));
    }
    q.order(g::id.asc())
        .limit(page.fetch_limit())
        .select(TaxGroupRow::as_select())
        .load(conn)
}
