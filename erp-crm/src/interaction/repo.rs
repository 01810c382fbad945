use diesel::prelude::*;
use erp_core::db::schema::{crm_call_outcomes as co, crm_interactions as it};
use erp_core::db::DbConnection;
use erp_core::pagination::PageRequest;

use crate::model::{InteractionRow, OutcomeRow};

pub fn outcomes(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<OutcomeRow>> {
    co::table
        .filter(co::company_id.eq(company_id))
        .order(co::code)
        .select(OutcomeRow::as_select())
        .load(conn)
}

pub fn save_outcome(conn: &mut DbConnection, o: &OutcomeRow) -> QueryResult<()> {
    let n = diesel::update(
        co::table
            .filter(co::company_id.eq(&o.company_id))
            .filter(co::code.eq(&o.code)),
    )
    .set((co::label.eq(&o.label), co::active.eq(o.active)))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(co::table).values(o).execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, i: &InteractionRow) -> QueryResult<()> {
    diesel::insert_into(it::table)
        .values(i)
        .execute(conn)
        .map(|_| ())
}

pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<InteractionRow>> {
    it::table
        .filter(it::customer_id.eq(customer_id))
        .order((it::occurred_at, it::id))
        .select(InteractionRow::as_select())
        .load(conn)
}

pub fn list(
    conn: &mut DbConnection,
    customer_id: &str,
    kind: Option<String>,
    page: &PageRequest,
) -> QueryResult<Vec<InteractionRow>> {
    let mut q = it::table
        .filter(it::customer_id.eq(customer_id))
        .into_boxed();
    if let Some(k) = kind {
        q = q.filter(it::kind.eq(k));
    }
    if let Some(after) = &page.after {
        q = q.filter(it::id.gt(after.clone()));
    }
    q.order(it::id.asc())
        .limit(page.fetch_limit())
        .select(InteractionRow::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<InteractionRow>> {
    it::table
        .find(id)
        .filter(it::company_id.eq(company_id))
        .select(InteractionRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_result(conn: &mut DbConnection, id: &str, result: Option<&str>) -> QueryResult<usize> {
    diesel::update(it::table.find(id))
        .set(it::result.eq(result))
        .execute(conn)
}
