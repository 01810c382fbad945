//! Whose records an actor reaches: HR (holding the module's read right) those of the
//! branches they work in; everyone else themselves and their direct reports, through
//! self-service. One rule for leave and attendance alike.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::BranchId;

use crate::employee::model::EmployeeRow;
use crate::employee::service::{is_self, SELF};
use crate::ids::EmployeeId;
use crate::{employee, wire};

/// Who a list is limited to: the branches of HR, or named people (oneself and one's team).
pub enum Reach {
    Branches(Option<Vec<BranchId>>),
    People(Vec<EmployeeId>),
}

/// The actor's own employee record, if they have one and may use self-service.
pub fn me(conn: &mut DbConnection, actor: &Actor) -> Result<Option<EmployeeRow>, AppError> {
    if !actor.can(SELF) {
        return Ok(None);
    }
    Ok(employee::repo::find_by_user(conn, actor.company_id, actor.user_id)?.map(|(e, _)| e))
}

/// Whether `me` manages the employee directly.
pub fn manages(me: Option<&EmployeeRow>, e: &EmployeeRow) -> bool {
    me.is_some_and(|m| e.manager_id == Some(m.id))
}

/// Whose records the actor sees, with `hr_right` the module's read right.
pub fn reach(conn: &mut DbConnection, actor: &Actor, hr_right: &str) -> Result<Reach, AppError> {
    if actor.can(hr_right) {
        return Ok(Reach::Branches(actor.visible_branches()));
    }
    if !actor.can(SELF) {
        return Err(AppError::Forbidden(hr_right.into()));
    }
    let Some(me) = me(conn, actor)? else {
        return Ok(Reach::People(Vec::new()));
    };
    let mut people = employee::repo::direct_reports(conn, me.id, wire::today())?;
    people.push(me.id);
    Ok(Reach::People(people))
}

/// Whether the actor sees the employee's records: their own, their team's, or HR's branch.
pub fn sees(
    conn: &mut DbConnection,
    actor: &Actor,
    e: &EmployeeRow,
    hr_right: &str,
) -> Result<bool, AppError> {
    if is_self(actor, e) && actor.can(SELF) {
        return Ok(true);
    }
    if actor.can(hr_right) && actor.sees_branch(&e.branch_id) {
        return Ok(true);
    }
    let me = me(conn, actor)?;
    Ok(manages(me.as_ref(), e))
}
