use chrono::{DateTime, Utc};
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::schema::{crm_team_members as tm, crm_teams as tms};
use erp_core::db::{new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access;
use crate::customer::service::check_user;
use crate::model::TeamRow;

const ENTITY: &str = "crm_team";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    pub name: String,
    /// The team lead: reaches the members' customers, deals and tasks.
    pub lead_id: Uuid,
    /// The managers in the team (a manager may be in several teams).
    pub member_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamResponse {
    pub id: Uuid,
    pub name: String,
    pub lead_id: Uuid,
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamResponse>,
}

/// The members of a team, sorted.
pub fn members(conn: &mut DbConnection, team_id: &str) -> QueryResult<Vec<String>> {
    tm::table
        .filter(tm::team_id.eq(team_id))
        .order(tm::user_id)
        .select(tm::user_id)
        .load(conn)
}

/// A team of the company.
pub fn find(conn: &mut DbConnection, company: &str, id: &str) -> QueryResult<Option<TeamRow>> {
    tms::table
        .find(id)
        .filter(tms::company_id.eq(company))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

fn to_response(conn: &mut DbConnection, t: &TeamRow) -> Result<TeamResponse, AppError> {
    Ok(TeamResponse {
        id: uuid_from_db(&t.id)?,
        name: t.name.clone(),
        lead_id: uuid_from_db(&t.lead_id)?,
        member_ids: members(conn, &t.id)?
            .iter()
            .map(|m| uuid_from_db(m))
            .collect::<Result<_, _>>()?,
        created_at: t.created_at.and_utc(),
    })
}

fn check(conn: &mut DbConnection, actor: &Actor, req: &TeamRequest) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.text("name", &req.name, 100);
    v.check(
        req.member_ids.len() <= 500,
        "member_ids",
        "at most 500 members",
    );
    v.finish()?;
    check_user(conn, actor, req.lead_id, "lead_id")?;
    for (i, m) in req.member_ids.iter().enumerate() {
        check_user(conn, actor, *m, &format!("member_ids[{i}]"))?;
    }
    Ok(())
}

fn save_members(conn: &mut DbConnection, team_id: &str, ids: &[Uuid]) -> QueryResult<()> {
    diesel::delete(tm::table.filter(tm::team_id.eq(team_id))).execute(conn)?;
    let mut ids: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        diesel::insert_into(tm::table)
            .values((tm::team_id.eq(team_id), tm::user_id.eq(id)))
            .execute(conn)?;
    }
    Ok(())
}

fn name_taken(
    conn: &mut DbConnection,
    company: &str,
    name: &str,
    except: &str,
) -> QueryResult<bool> {
    let n: i64 = tms::table
        .filter(tms::company_id.eq(company))
        .filter(tms::name.eq(name))
        .filter(tms::id.ne(except))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    req: TeamRequest,
) -> Result<TeamResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    check(conn, actor, &req)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let name = req.name.trim().to_string();
        if name_taken(conn, &company, &name, "")? {
            return Err(AppError::conflict(
                "duplicate_name",
                "a team with this name exists",
            ));
        }
        let t = TeamRow {
            id: new_id(),
            company_id: company,
            name,
            lead_id: req.lead_id.to_string(),
            created_at: now(),
        };
        diesel::insert_into(tms::table).values(&t).execute(conn)?;
        save_members(conn, &t.id, &req.member_ids)?;
        let out = to_response(conn, &t)?;
        audit::record(conn, actor, ENTITY, &t.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Replaces a team's name, lead and members.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: TeamRequest,
) -> Result<TeamResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    check(conn, actor, &req)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let mut t = find(conn, &company, &id.to_string())?.ok_or(AppError::NotFound(ENTITY))?;
        let before = to_response(conn, &t)?;
        let name = req.name.trim().to_string();
        if name_taken(conn, &company, &name, &t.id)? {
            return Err(AppError::conflict(
                "duplicate_name",
                "a team with this name exists",
            ));
        }
        t.name = name;
        t.lead_id = req.lead_id.to_string();
        diesel::update(tms::table.find(&t.id))
            .set((tms::name.eq(&t.name), tms::lead_id.eq(&t.lead_id)))
            .execute(conn)?;
        save_members(conn, &t.id, &req.member_ids)?;
        let out = to_response(conn, &t)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &t.id,
            Change::Updated {
                before: &before,
                after: &out,
            },
        )?;
        Ok(out)
    })
}

pub fn list(conn: &mut DbConnection, actor: &Actor) -> Result<TeamList, AppError> {
    actor.require(access::READ)?;
    let rows: Vec<TeamRow> = tms::table
        .filter(tms::company_id.eq(actor.company_id.to_db()))
        .order(tms::name)
        .select(TeamRow::as_select())
        .load(conn)?;
    Ok(TeamList {
        items: rows
            .iter()
            .map(|t| to_response(conn, t))
            .collect::<Result<_, _>>()?,
    })
}
