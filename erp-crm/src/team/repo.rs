//! Queries of sales teams and their members.

use diesel::prelude::*;
use erp_core::db::schema::{crm_team_members as tm, crm_teams as tms};
use erp_core::db::DbConnection;
use erp_core::ids::UserId;

use crate::ids::TeamId;
use crate::model::TeamRow;

/// The members of a team, sorted.
pub fn members(conn: &mut DbConnection, team_id: TeamId) -> QueryResult<Vec<String>> {
    tm::table
        .filter(tm::team_id.eq(team_id))
        .order(tm::user_id)
        .select(tm::user_id)
        .load(conn)
}

/// A team of the company.
pub fn find(conn: &mut DbConnection, company: &str, id: TeamId) -> QueryResult<Option<TeamRow>> {
    tms::table
        .find(id)
        .filter(tms::company_id.eq(company))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

/// The company's teams by name.
pub fn all(conn: &mut DbConnection, company: &str) -> QueryResult<Vec<TeamRow>> {
    tms::table
        .filter(tms::company_id.eq(company))
        .order(tms::name)
        .select(TeamRow::as_select())
        .load(conn)
}

/// Whether another team of the company (not `except`) has this name.
pub fn name_taken(
    conn: &mut DbConnection,
    company: &str,
    name: &str,
    except: Option<TeamId>,
) -> QueryResult<bool> {
    let mut q = tms::table
        .filter(tms::company_id.eq(company))
        .filter(tms::name.eq(name))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(tms::id.ne(id));
    }
    let n: i64 = q.count().get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConnection, t: &TeamRow) -> QueryResult<()> {
    diesel::insert_into(tms::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

/// Writes a team's name and lead.
pub fn rename(conn: &mut DbConnection, t: &TeamRow) -> QueryResult<()> {
    diesel::update(tms::table.find(&t.id))
        .set((tms::name.eq(&t.name), tms::lead_id.eq(&t.lead_id)))
        .execute(conn)
        .map(|_| ())
}

/// Replaces a team's members with `user_ids`.
pub fn set_members(
    conn: &mut DbConnection,
    team_id: TeamId,
    user_ids: &[UserId],
) -> QueryResult<()> {
    diesel::delete(tm::table.filter(tm::team_id.eq(team_id))).execute(conn)?;
    for u in user_ids {
        diesel::insert_into(tm::table)
            .values((tm::team_id.eq(team_id), tm::user_id.eq(u)))
            .execute(conn)?;
    }
    Ok(())
}
