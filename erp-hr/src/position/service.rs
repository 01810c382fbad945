//! Positions: create, change, list and read, each with its head count filled today.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::PositionRow;
use super::repo::{self, PositionFilter};
use crate::department::service::{READ, WRITE};
use crate::error::HrError;
use crate::ids::PositionId;
use crate::{department, wire};

const ENTITY: &str = "hr_positions";

pub fn to_response(row: &PositionRow, filled: i64) -> Result<PositionResponse, AppError> {
    Ok(PositionResponse {
        id: row.id,
        code: row.code.clone(),
        title: row.title.clone(),
        department_id: row.department_id,
        grade: row.grade.clone(),
        headcount: row.headcount,
        filled,
        vacancies: i64::from(row.headcount) - filled,
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

fn respond(conn: &mut DbConnection, row: &PositionRow) -> Result<PositionResponse, AppError> {
    let filled = filled_of(conn, std::slice::from_ref(&row.id))?;
    to_response(row, filled.get(&row.id).copied().unwrap_or(0))
}

/// Current holders of each position, today.
fn filled_of(
    conn: &mut DbConnection,
    ids: &[PositionId],
) -> Result<HashMap<PositionId, i64>, AppError> {
    Ok(repo::count_current_staff(conn, ids, wire::today())?
        .into_iter()
        .collect())
}

/// A position of the company in a branch the actor sees, or 404.
pub fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PositionId,
) -> Result<PositionRow, AppError> {
    match repo::find(conn, actor.company_id, id)? {
        Some((row, branch)) if actor.sees_branch(&branch) => Ok(row),
        _ => Err(AppError::NotFound("position")),
    }
}

fn check_headcount(v: &mut Validator, headcount: i32) {
    v.check(
        (0..=10_000).contains(&headcount),
        "headcount",
        "must be between 0 and 10000",
    );
}

pub fn create_position(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePositionRequest,
) -> Result<PositionResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("title", &req.title, 200);
        v.opt_text("grade", req.grade.as_deref(), 32);
        check_headcount(&mut v, req.headcount);
        if department::service::load(conn, actor, req.department_id).is_err() {
            v.add(
                "department_id",
                "no such department in a branch you work in",
            );
        }
        v.finish()?;
        if repo::code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "position",
                code,
            }
            .into());
        }
        let at = now();
        let row = PositionRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
            department_id: req.department_id,
            code: code.clone(),
            title: req.title.trim().to_string(),
            grade: req.grade.as_deref().map(|g| g.trim().to_string()),
            headcount: req.headcount,
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &row)?;
        let out = to_response(&row, 0)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_position(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PositionId,
    expected_version: i64,
    req: UpdatePositionRequest,
) -> Result<PositionResponse, AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let mut row = load(conn, actor, id)?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = respond(conn, &row)?;
        let mut v = Validator::new();
        if let Some(t) = &req.title {
            v.text("title", t, 200);
        }
        if let Some(g) = &req.grade {
            v.opt_text("grade", g.as_deref(), 32);
        }
        if let Some(h) = req.headcount {
            check_headcount(&mut v, h);
        }
        v.finish()?;
        if let Some(t) = &req.title {
            row.title = t.trim().to_string();
        }
        if let Some(g) = &req.grade {
            row.grade = g.as_deref().map(|g| g.trim().to_string());
        }
        if let Some(h) = req.headcount {
            row.headcount = h;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = respond(conn, &row)?;
        audit::updated(conn, actor, ENTITY, row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn get_position(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PositionId,
) -> Result<PositionResponse, AppError> {
    actor.require(READ)?;
    let row = load(conn, actor, id)?;
    respond(conn, &row)
}

pub fn list_positions(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PositionListQuery,
) -> Result<PositionPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    department::service::check_filter(conn, actor, q.department_id)?;
    let filter = PositionFilter {
        branch_ids: actor.visible_branches(),
        department_id: q.department_id,
        active: q.active,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let ids: Vec<PositionId> = rows.iter().map(|r| r.id).collect();
    let filled = filled_of(conn, &ids)?;
    Ok(PositionPage {
        items: rows
            .iter()
            .map(|r| to_response(r, filled.get(&r.id).copied().unwrap_or(0)))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
