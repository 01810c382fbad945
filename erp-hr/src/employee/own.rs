//! The employee's own view: their record, contracts and team, and acting for oneself.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::pagination::ListParams;

use super::contract::{self, service as contracts};
use super::dto::*;
use super::repo::{self, EmployeeFilter, Named};
use super::service::*;
use crate::ids::EmployeeId;
use crate::wire;

/// The employee record linked to the actor's user.
pub(crate) fn own(conn: &mut DbConnection, actor: &Actor) -> Result<Named, AppError> {
    actor.require(SELF)?;
    repo::find_by_user(conn, actor.company_id, actor.user_id)?
        .ok_or(AppError::NotFound("employee record of your user"))
}

/// The employee something is done for (leave asked, time booked), with the name: oneself
/// when `id` is absent or one's own (`hr.self`), else someone in the actor's branches for
/// whom they hold `right`; others are 404.
pub(crate) fn acting_for(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<EmployeeId>,
    right: &str,
) -> Result<Named, AppError> {
    let Some(id) = id else {
        return own(conn, actor);
    };
    let named = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("employee"))?;
    if is_self(actor, &named.0) && actor.can(SELF) {
        return Ok(named);
    }
    actor.require(right)?;
    if !actor.sees_branch(&named.0.branch_id) {
        return Err(AppError::NotFound("employee"));
    }
    Ok(named)
}

pub fn me(conn: &mut DbConnection, actor: &Actor) -> Result<EmployeeResponse, AppError> {
    let named = own(conn, actor)?;
    respond(conn, actor, &named)
}

pub fn my_contracts(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<contract::dto::ContractList, AppError> {
    let (row, _) = own(conn, actor)?;
    Ok(contract::dto::ContractList {
        items: contracts::history(&contract::repo::of_employee(conn, row.id)?)?,
    })
}

/// The actor's direct reports employed today, without their confidential data.
pub fn my_team(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<EmployeePage, AppError> {
    let (me, _) = own(conn, actor)?;
    let page = params.validate()?;
    let filter = EmployeeFilter {
        manager_id: Some(me.id),
        employed: Some((true, wire::today())),
        ..Default::default()
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.id);
    Ok(EmployeePage {
        items: rows
            .iter()
            .map(|(row, name)| to_response(row, name, None))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
