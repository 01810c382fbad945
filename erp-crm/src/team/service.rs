use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{distinct, UserId};

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::error::CrmError;
use crate::ids::TeamId;
use crate::model::TeamRow;

const ENTITY: &str = "crm_team";

fn to_response(conn: &mut DbConnection, t: &TeamRow) -> Result<TeamResponse, AppError> {
    Ok(TeamResponse {
        id: t.id,
        name: t.name.clone(),
        lead_id: t.lead_id,
        member_ids: repo::members(conn, t.id)?
            .iter()
            .map(|m| UserId::from_db(m))
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
    access::check_user(conn, actor, req.lead_id, "lead_id")?;
    for (i, m) in req.member_ids.iter().enumerate() {
        access::check_user(conn, actor, *m, &format!("member_ids[{i}]"))?;
    }
    Ok(())
}

/// The members' ids as stored: sorted, each once.
fn member_ids(ids: &[UserId]) -> Vec<UserId> {
    distinct(ids.iter().copied())
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
        if repo::name_taken(conn, &company, &name, None)? {
            return Err(CrmError::DuplicateTeam.into());
        }
        let t = TeamRow {
            id: TeamId::new(),
            company_id: company,
            name,
            lead_id: req.lead_id,
            created_at: now(),
        };
        repo::insert(conn, &t)?;
        repo::set_members(conn, t.id, &member_ids(&req.member_ids))?;
        let out = to_response(conn, &t)?;
        audit::record(conn, actor, ENTITY, t.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Replaces a team's name, lead and members.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TeamId,
    req: TeamRequest,
) -> Result<TeamResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    check(conn, actor, &req)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let mut t = repo::find(conn, &company, id)?.ok_or(AppError::NotFound(ENTITY))?;
        let before = to_response(conn, &t)?;
        let name = req.name.trim().to_string();
        if repo::name_taken(conn, &company, &name, Some(t.id))? {
            return Err(CrmError::DuplicateTeam.into());
        }
        t.name = name;
        t.lead_id = req.lead_id;
        repo::rename(conn, &t)?;
        repo::set_members(conn, t.id, &member_ids(&req.member_ids))?;
        let out = to_response(conn, &t)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            t.id,
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
    let rows = repo::all(conn, &actor.company_id.to_db())?;
    Ok(TeamList {
        items: rows
            .iter()
            .map(|t| to_response(conn, t))
            .collect::<Result<_, _>>()?,
    })
}
