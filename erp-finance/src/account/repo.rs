use diesel::prelude::*;
use erp_core::db::schema::{fin_accounts as a, fin_entry_lines as l};
use erp_core::db::{escape_like, DbConnection};
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::dto::AccountType;
use super::model::AccountRow;
use crate::ids::AccountId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: AccountId,
) -> QueryResult<Option<AccountRow>> {
    a::table
        .find(id)
        .filter(a::company_id.eq(company_id))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<Option<AccountRow>> {
    a::table
        .filter(a::company_id.eq(company_id))
        .filter(a::code.eq(code))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// Accounts of the company by id, for checking the lines of an entry in one query.
pub fn find_many(
    conn: &mut DbConnection,
    company_id: CompanyId,
    ids: &[AccountId],
) -> QueryResult<Vec<AccountRow>> {
    a::table
        .filter(a::company_id.eq(company_id))
        .filter(a::id.eq_any(ids))
        .select(AccountRow::as_select())
        .load(conn)
}

pub fn all_of(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<AccountRow>> {
    a::table
        .filter(a::company_id.eq(company_id))
        .order(a::code.asc())
        .select(AccountRow::as_select())
        .load(conn)
}

pub fn any_exists(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        a::table.filter(a::company_id.eq(company_id)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &AccountRow) -> QueryResult<()> {
    diesel::insert_into(a::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &AccountRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        a::table
            .filter(a::id.eq(&row.id))
            .filter(a::version.eq(expected)),
    )
    .set((
        a::name.eq(&row.name),
        a::parent_id.eq(&row.parent_id),
        a::reconcilable.eq(row.reconcilable),
        a::active.eq(row.active),
        a::version.eq(row.version),
        a::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub struct AccountFilter {
    pub account_type: Option<AccountType>,
    pub active: Option<bool>,
    pub code_prefix: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &AccountFilter,
    page: &PageRequest,
) -> QueryResult<Vec<AccountRow>> {
    let mut q = a::table.filter(a::company_id.eq(company_id)).into_boxed();
    if let Some(t) = f.account_type {
        q = q.filter(a::account_type.eq(t));
    }
    if let Some(active) = f.active {
        q = q.filter(a::active.eq(active));
    }
    if let Some(p) = &f.code_prefix {
        q = q.filter(a::code.like(format!("{}%", escape_like(p))).escape('\\'));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(a::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(a::id.gt(after.clone()));
    }
    q.order(a::id.asc())
        .limit(page.fetch_limit())
        .select(AccountRow::as_select())
        .load(conn)
}

/// Has anything been posted or drafted on the account?
pub fn has_lines(conn: &mut DbConnection, id: AccountId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(l::table.filter(l::account_id.eq(id)))).get_result(conn)
}
