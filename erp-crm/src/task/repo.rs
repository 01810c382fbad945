use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{crm_deals as dl, crm_tasks as tk};
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::TaskRow;
use crate::states::TaskStatus;

pub fn find(conn: &mut DbConnection, id: &str, company_id: &str) -> QueryResult<Option<TaskRow>> {
    tk::table
        .find(id)
        .filter(tk::company_id.eq(company_id))
        .select(TaskRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, t: &TaskRow) -> QueryResult<()> {
    diesel::insert_into(tk::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

pub fn finish(conn: &mut DbConnection, t: &TaskRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        tk::table
            .filter(tk::id.eq(&t.id))
            .filter(tk::version.eq(expected)),
    )
    .set((
        tk::status.eq(&t.status),
        tk::done_at.eq(t.done_at),
        tk::version.eq(t.version),
        tk::updated_at.eq(t.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A page of open tasks of an assignee (or of a customer) due in `[from, until)`, most urgent
/// first.
pub fn open(
    conn: &mut DbConnection,
    company_id: &str,
    assignee: Option<&str>,
    customer: Option<&str>,
    (from, until): (Option<NaiveDateTime>, Option<NaiveDateTime>),
    page: &KeyedPage,
) -> QueryResult<Vec<TaskRow>> {
    let mut q = tk::table
        .filter(tk::company_id.eq(company_id))
        .filter(tk::status.eq(TaskStatus::Open))
        .into_boxed();
    if let Some(a) = assignee {
        q = q.filter(tk::assignee_id.eq(a.to_string()));
    }
    if let Some(c) = customer {
        q = q.filter(tk::customer_id.eq(c.to_string()));
    }
    if let Some(f) = from {
        q = q.filter(tk::due_at.ge(f));
    }
    if let Some(u) = until {
        q = q.filter(tk::due_at.lt(u));
    }
    let q = erp_core::after_key!(q, page, tk::due_at, tk::id, asc);
    q.order((tk::due_at, tk::id))
        .limit(page.fetch_limit())
        .select(TaskRow::as_select())
        .load(conn)
}

pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<TaskRow>> {
    tk::table
        .filter(tk::customer_id.eq(customer_id))
        .order(tk::created_at)
        .select(TaskRow::as_select())
        .load(conn)
}

/// Open tasks past due that have not been announced yet.
pub fn unannounced_due_tasks(
    conn: &mut DbConnection,
    at: NaiveDateTime,
) -> QueryResult<Vec<TaskRow>> {
    tk::table
        .filter(tk::status.eq(TaskStatus::Open))
        .filter(tk::due_at.le(at))
        .filter(tk::reminded_at.is_null())
        .limit(200)
        .select(TaskRow::as_select())
        .load(conn)
}

pub fn mark_reminded(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(tk::table.find(id).filter(tk::reminded_at.is_null()))
        .set(tk::reminded_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
}

/// The id of a deal of the company, if there is one (a task's link is checked by it).
pub fn deal_of_company(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<String>> {
    dl::table
        .find(id)
        .filter(dl::company_id.eq(company_id))
        .select(dl::id)
        .first(conn)
        .optional()
}
