//! The queries access control needs: who leads whom, and whose customers are whose. Kept
//! here so that access, which every module uses, depends on none of them.

use diesel::prelude::*;
use erp_core::db::schema::{crm_customers as cu, crm_team_members as tm, crm_teams as teams};
use erp_core::db::DbConnection;

use crate::model::CustomerRow;

/// Whether `user` is a member of a team `lead` leads.
pub fn leads_member(conn: &mut DbConnection, lead: &str, user: &str) -> QueryResult<bool> {
    let n: i64 = tm::table
        .inner_join(teams::table.on(teams::id.eq(tm::team_id)))
        .filter(teams::lead_id.eq(lead))
        .filter(tm::user_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The members of every team `lead` leads (a member of two such teams twice).
pub fn members_led_by(conn: &mut DbConnection, lead: &str) -> QueryResult<Vec<String>> {
    tm::table
        .inner_join(teams::table.on(teams::id.eq(tm::team_id)))
        .filter(teams::lead_id.eq(lead))
        .select(tm::user_id)
        .load(conn)
}

/// The ids of the company's customers these managers own.
pub fn customers_of_owners(
    conn: &mut DbConnection,
    company: &str,
    owners: &[String],
) -> QueryResult<Vec<String>> {
    cu::table
        .filter(cu::company_id.eq(company))
        .filter(cu::owner_id.eq_any(owners))
        .select(cu::partner_id)
        .load(conn)
}

/// A customer card of the company, to decide who reaches a record of it.
pub fn customer(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<CustomerRow>> {
    cu::table
        .find(id)
        .filter(cu::company_id.eq(company_id))
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()
}
