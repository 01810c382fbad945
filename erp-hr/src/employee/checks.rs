//! What an employee record must name: a manager, position, user, calendar, bank account and
//! department of the company, each refused by its field; and what a list's filters name.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::ids::{CompanyId, UserId};

use erp_core::filter;
use erp_core::org::branch;

use super::dto::EmployeeListQuery;
use super::iban;
use super::repo::{self};
use crate::department::model::DepartmentRow;
use crate::error::HrError;
use crate::ids::{CalendarId, DepartmentId, EmployeeId, PositionId};
use crate::{department, position};

pub use crate::department::service::check_manager;

/// Adds field errors unless the position (if any) belongs to the department.
pub(super) fn check_position(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    position: Option<PositionId>,
    department: &DepartmentRow,
) -> Result<(), AppError> {
    if let Some(p) = position {
        match position::repo::find(conn, company_id, p)? {
            Some((row, _)) if row.department_id == department.id => {
                if !row.active {
                    v.add("position_id", "the position is inactive");
                }
            }
            Some(_) => v.add(
                "position_id",
                format!(
                    "is a position of another department than {}",
                    department.code
                ),
            ),
            None => v.add("position_id", "no such position in the company"),
        }
    }
    Ok(())
}

pub(super) fn check_user(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    user: UserId,
    not: Option<EmployeeId>,
) -> Result<(), AppError> {
    match erp_core::iam::user::repo::find(conn, user)? {
        Some(u) if u.company_id == company_id => {
            if let Some(number) = repo::linked_to_user(conn, user)? {
                let own = match not {
                    Some(id) => {
                        repo::find(conn, company_id, id)?.is_some_and(|(e, _)| e.number == number)
                    }
                    None => false,
                };
                if !own {
                    return Err(HrError::UserLinked(number).into());
                }
            }
        }
        _ => v.add("user_id", "no such user in the company"),
    }
    Ok(())
}

pub(super) fn check_calendar(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    id: CalendarId,
) -> Result<(), AppError> {
    if crate::calendar::repo::find(conn, company_id, id)?.is_none() {
        v.add("calendar_id", "no such work calendar in the company");
    }
    Ok(())
}

pub(super) fn check_bank_account(v: &mut Validator, raw: &str) -> Option<String> {
    let iban = iban::normalize(raw);
    if iban.is_none() {
        v.add(
            "bank_account",
            "is not an IBAN (country code, check digits and account; the check digits must match)",
        );
    }
    iban
}

/// The department to work in: the company's, in a branch the actor works in, active.
pub(super) fn department_for(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    id: DepartmentId,
) -> Result<Option<DepartmentRow>, AppError> {
    match department::service::load(conn, actor, id) {
        Ok(d) if d.active => Ok(Some(d)),
        Ok(_) => {
            v.add("department_id", "the department is inactive");
            Ok(None)
        }
        Err(AppError::NotFound(_)) => {
            v.add(
                "department_id",
                "no such department in a branch you work in",
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A list's employee (or manager) filter: an employee the actor sees, or 404.
pub fn check_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<EmployeeId>,
) -> Result<(), AppError> {
    filter::names(id, |e| super::service::load(conn, actor, e))
}

/// The branch, department, position and manager an employee list is filtered by: each one
/// the actor sees, or 404.
pub(super) fn check_list_filters(
    conn: &mut DbConnection,
    actor: &Actor,
    q: &EmployeeListQuery,
) -> Result<(), AppError> {
    filter::names(q.branch_id, |b| {
        branch::service::load_visible(conn, actor, b)
    })?;
    department::service::check_filter(conn, actor, q.department_id)?;
    filter::names(q.position_id, |p| position::service::load(conn, actor, p))?;
    check_filter(conn, actor, q.manager_id)
}
