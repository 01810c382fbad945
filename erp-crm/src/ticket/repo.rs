//! Queries of tickets.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::crm_tickets as tt;
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::TicketRow;

/// A ticket of the company.
pub fn find(conn: &mut DbConnection, id: &str, company: &str) -> QueryResult<Option<TicketRow>> {
    tt::table
        .find(id)
        .filter(tt::company_id.eq(company))
        .select(TicketRow::as_select())
        .first(conn)
        .optional()
}

/// Every ticket of a customer.
pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<TicketRow>> {
    tt::table
        .filter(tt::customer_id.eq(customer_id))
        .select(TicketRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, t: &TicketRow) -> QueryResult<()> {
    diesel::insert_into(tt::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

/// Writes a resolution if the ticket is still at `expected`; false when it was not.
pub fn resolve(conn: &mut DbConnection, t: &TicketRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        tt::table
            .filter(tt::id.eq(&t.id))
            .filter(tt::version.eq(expected)),
    )
    .set((
        tt::status.eq(&t.status),
        tt::resolution.eq(&t.resolution),
        tt::resolved_at.eq(t.resolved_at),
        tt::version.eq(t.version),
        tt::updated_at.eq(t.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// What a list of tickets is narrowed to.
pub struct TicketFilter<'a> {
    /// Only these owners' tickets (the caller's scope); all when `None`.
    pub owners: Option<&'a [String]>,
    pub customer_id: Option<String>,
    pub status: Option<String>,
    /// Past their SLA (open past it, or resolved after it) or not, as at `at`.
    pub breached: Option<bool>,
}

/// A page of tickets by SLA due time, most urgent first.
pub fn page(
    conn: &mut DbConnection,
    company: &str,
    f: &TicketFilter,
    at: NaiveDateTime,
    page: &KeyedPage,
) -> QueryResult<Vec<TicketRow>> {
    let mut query = tt::table.filter(tt::company_id.eq(company)).into_boxed();
    if let Some(owners) = f.owners {
        query = query.filter(tt::owner_id.eq_any(owners.to_vec()));
    }
    if let Some(c) = &f.customer_id {
        query = query.filter(tt::customer_id.eq(c.clone()));
    }
    if let Some(s) = &f.status {
        query = query.filter(tt::status.eq(s.clone()));
    }
    match f.breached {
        Some(true) => {
            query = query.filter(
                tt::resolved_at
                    .is_null()
                    .and(tt::sla_due_at.lt(at))
                    .or(tt::resolved_at.assume_not_null().gt(tt::sla_due_at)),
            )
        }
        Some(false) => {
            query = query.filter(
                tt::resolved_at
                    .is_null()
                    .and(tt::sla_due_at.ge(at))
                    .or(tt::resolved_at.assume_not_null().le(tt::sla_due_at)),
            )
        }
        None => {}
    }
    let query = erp_core::after_key!(query, page, tt::sla_due_at, tt::id, asc);
    query
        .order((tt::sla_due_at, tt::id))
        .limit(page.fetch_limit())
        .select(TicketRow::as_select())
        .load(conn)
}

/// (cause, opened at) of the company's complaints opened in `[from, to)`, of these owners
/// when given.
pub fn complaints(
    conn: &mut DbConnection,
    company: &str,
    owners: Option<&[String]>,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> QueryResult<Vec<(Option<String>, NaiveDateTime)>> {
    let mut query = tt::table
        .filter(tt::company_id.eq(company))
        .filter(tt::kind.eq("complaint"))
        .into_boxed();
    if let Some(owners) = owners {
        query = query.filter(tt::owner_id.eq_any(owners.to_vec()));
    }
    if let Some(from) = from {
        query = query.filter(tt::created_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(tt::created_at.lt(to));
    }
    query.select((tt::cause, tt::created_at)).load(conn)
}
