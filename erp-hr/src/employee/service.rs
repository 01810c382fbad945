//! Employees: hire, change their data, terminate, list and read. Confidential data goes to
//! HR and to the employee only. Transfers are in `transfer.rs`, the checks of what a record
//! names in `checks.rs`, the employee's own view in `own.rs`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;
use erp_core::partner::{self, dto::PartnerKind};

use super::contract::model::ContractRow;
use super::contract::{self, service as contracts};
use super::dto::*;
use super::model::EmployeeRow;
use super::repo::{self, EmployeeFilter, Named};
use crate::department::service::{READ, WRITE};
use crate::error::HrError;
use crate::ids::EmployeeId;
use crate::wire;

pub use super::checks::*;
pub use super::own::*;
pub use super::transfer::*;

pub use crate::rights::SELF;
pub(super) const ENTITY: &str = "hr_employees";
pub(super) const ASSIGNMENTS: &str = "hr_assignments";

pub fn status_of(row: &EmployeeRow, today: NaiveDate) -> EmployeeStatus {
    match row.terminated_on {
        Some(last) if last < today => EmployeeStatus::Terminated,
        _ if row.hired_on > today => EmployeeStatus::Starting,
        Some(_) => EmployeeStatus::Leaving,
        None => EmployeeStatus::Active,
    }
}

pub fn to_response(
    row: &EmployeeRow,
    name: &str,
    confidential: Option<ConfidentialData>,
) -> Result<EmployeeResponse, AppError> {
    Ok(EmployeeResponse {
        id: row.id,
        number: row.number.clone(),
        partner_id: row.partner_id,
        name: name.to_string(),
        user_id: row.user_id,
        branch_id: row.branch_id,
        department_id: row.department_id,
        position_id: row.position_id,
        manager_id: row.manager_id,
        calendar_id: row.calendar_id,
        hired_on: row.hired_on,
        terminated_on: row.terminated_on,
        termination_reason: row
            .termination_reason
            .as_deref()
            .map(enum_from_db)
            .transpose()?,
        status: status_of(row, wire::today()),
        confidential,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub(super) fn confidential_of(
    row: &EmployeeRow,
    contract: Option<&ContractRow>,
) -> Result<ConfidentialData, AppError> {
    Ok(ConfidentialData {
        birth_date: row.birth_date,
        bank_account: row.bank_account.clone(),
        termination_note: row.termination_note.clone(),
        contract: contract
            .map(|c| contracts::to_response(c, None))
            .transpose()?,
    })
}

/// Whether the actor is the employee.
pub(crate) fn is_self(actor: &Actor, row: &EmployeeRow) -> bool {
    row.user_id == Some(actor.user_id)
}

/// HR of the employee's branch, or the employee themself.
pub fn may_see_confidential(actor: &Actor, row: &EmployeeRow) -> Result<bool, AppError> {
    Ok(is_self(actor, row) || (actor.can(contracts::READ) && actor.sees_branch(&row.branch_id)))
}

/// The response as the actor may see it: with the confidential part for HR and the employee.
pub(super) fn respond(
    conn: &mut DbConnection,
    actor: &Actor,
    (row, name): &Named,
) -> Result<EmployeeResponse, AppError> {
    let confidential = if may_see_confidential(actor, row)? {
        let today = wire::today();
        let contract = contract::repo::in_force(conn, std::slice::from_ref(&row.id), today)?;
        Some(confidential_of(row, contract.first())?)
    } else {
        None
    };
    to_response(row, name, confidential)
}

/// An employee of the company in a branch the actor sees, or 404.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: EmployeeId) -> Result<Named, AppError> {
    match repo::find(conn, actor.company_id, id)? {
        Some(named) if actor.sees_branch(&named.0.branch_id) => Ok(named),
        _ => Err(AppError::NotFound("employee")),
    }
}

/// An employee to change, with their name: visible to the actor, and not gone before today.
pub(super) fn load_named_for_write(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<Named, AppError> {
    let named = load(conn, actor, id)?;
    if let Some(last) = named.0.terminated_on.filter(|t| *t < wire::today()) {
        return Err(HrError::Terminated {
            number: named.0.number,
            on: last,
        }
        .into());
    }
    Ok(named)
}

/// An employee to change: visible to the actor, and not gone before today.
pub(crate) fn load_for_write(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<EmployeeRow, AppError> {
    load_named_for_write(conn, actor, id).map(|(row, _)| row)
}

/// Creates many employees in one transaction, each by [`create_employee`]'s rules; refused
/// records are named by their index and nothing is kept.
pub fn create_employees(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateEmployeesRequest,
) -> Result<EmployeeBatch, AppError> {
    actor.require(WRITE)?;
    let employees =
        erp_core::batch::all_or_nothing(conn, "employees", req.employees, |conn, x| {
            create_employee(conn, actor, x)
        })?;
    Ok(EmployeeBatch { employees })
}

pub fn create_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateEmployeeRequest,
) -> Result<EmployeeResponse, AppError> {
    actor.require(WRITE)?;
    let confidential =
        req.birth_date.is_some() || req.bank_account.is_some() || req.contract.is_some();
    if confidential {
        actor.require(contracts::WRITE)?;
    }
    let company = actor.company_id;
    let id = req.id.unwrap_or_default();
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        if let Some(n) = &req.number {
            v.code("number", n, 32);
        }
        match (&req.partner_id, &req.person) {
            (Some(_), Some(_)) | (None, None) => {
                v.add("partner_id", "give either partner_id or person, not both")
            }
            (Some(p), None) => match partner::repo::find(conn, *p, company)? {
                Some(x) if x.kind == PartnerKind::Person => {}
                Some(_) => v.add("partner_id", "must be a person, not an organisation"),
                None => v.add("partner_id", "no such business partner in the company"),
            },
            (None, Some(p)) => {
                if p.kind != PartnerKind::Person {
                    v.add("person.kind", "must be person");
                }
            }
        }
        let dept = department_for(conn, &mut v, actor, req.department_id)?;
        if let Some(d) = &dept {
            check_position(conn, &mut v, company, req.position_id, d)?;
        }
        if let Some(m) = req.manager_id {
            check_manager(conn, &mut v, company, "manager_id", m, Some(id))?;
        }
        if let Some(u) = req.user_id {
            check_user(conn, &mut v, company, u, None)?;
        }
        if let Some(c) = req.calendar_id {
            check_calendar(conn, &mut v, company, c)?;
        }
        let bank = req
            .bank_account
            .as_deref()
            .and_then(|b| check_bank_account(&mut v, b));
        if let Some(b) = req.birth_date {
            v.check(
                b < req.hired_on,
                "birth_date",
                "must be before the hire date",
            );
        }
        v.finish()?;
        let dept = dept.ok_or_else(|| AppError::Internal("department checked".into()))?;

        let partner_id = match (req.partner_id, req.person) {
            (Some(p), _) => p,
            (None, Some(person)) => {
                partner::service::create_partner_unchecked(conn, actor, person)
                    .map_err(|e| e.under("person"))?
                    .id
            }
            (None, None) => return Err(AppError::Internal("partner checked".into())),
        };
        if let Some(e) = repo::employment_of_partner(conn, partner_id, req.hired_on)? {
            let person = partner::repo::find(conn, partner_id, company)?
                .map_or(partner_id.to_string(), |p| p.name);
            return Err(HrError::AlreadyEmployed {
                person,
                number: e.number,
            }
            .into());
        }
        let number = match &req.number {
            Some(n) => {
                let n = n.trim().to_string();
                if repo::number_taken(conn, company, &n)? {
                    return Err(HrError::DuplicateNumber(n).into());
                }
                n
            }
            None => next_number(conn, company, "EMP", req.hired_on.year())?,
        };
        let manager_id = match req.manager_id {
            Some(m) => Some(m),
            None => dept.manager_id.filter(|m| *m != id),
        };
        let at = now();
        let row = EmployeeRow {
            id,
            company_id: company,
            number,
            partner_id,
            user_id: req.user_id,
            branch_id: dept.branch_id,
            department_id: dept.id,
            position_id: req.position_id,
            manager_id,
            hired_on: req.hired_on,
            terminated_on: None,
            termination_reason: None,
            termination_note: None,
            birth_date: req.birth_date,
            bank_account: bank,
            version: 1,
            created_at: at,
            updated_at: at,
            calendar_id: req.calendar_id,
        };
        repo::insert(conn, &row)?;
        repo::insert_assignment(conn, &assignment(actor, &row, row.hired_on, "hired"))?;
        if let Some(c) = req.contract {
            contracts::insert_new(conn, actor, &row, c).map_err(|e| e.under("contract"))?;
        }
        let named = repo::find(conn, company, row.id)?.ok_or(AppError::NotFound("employee"))?;
        let out = respond(conn, actor, &named)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Writes the changed row if it is still at `expected`, with the audit record.
pub(super) fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    mut row: EmployeeRow,
    expected: i64,
    before: &EmployeeResponse,
) -> Result<EmployeeResponse, AppError> {
    row.version = expected + 1;
    row.updated_at = now();
    if !repo::update_versioned(conn, &row, expected)? {
        return Err(AppError::VersionMismatch {
            current: expected + 1,
        });
    }
    // The person's name does not change with the employee record.
    let id = row.id;
    let after = respond(conn, actor, &(row, before.name.clone()))?;
    audit::updated(conn, actor, ENTITY, id, before, &after)?;
    Ok(after)
}

pub fn update_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    expected_version: i64,
    req: UpdateEmployeeRequest,
) -> Result<EmployeeResponse, AppError> {
    actor.require(WRITE)?;
    if req.birth_date.is_some() || req.bank_account.is_some() {
        actor.require(contracts::WRITE)?;
    }
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, id)?;
        if named.0.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: named.0.version,
            });
        }
        let before = respond(conn, actor, &named)?;
        let mut row = named.0;
        let mut v = Validator::new();
        if let Some(Some(u)) = req.user_id {
            check_user(conn, &mut v, company, u, Some(row.id))?;
        }
        if let Some(Some(c)) = req.calendar_id {
            check_calendar(conn, &mut v, company, c)?;
        }
        let bank = match &req.bank_account {
            Some(Some(b)) => Some(check_bank_account(&mut v, b)),
            Some(None) => Some(None),
            None => None,
        };
        if let Some(Some(b)) = req.birth_date {
            v.check(
                b < row.hired_on,
                "birth_date",
                "must be before the hire date",
            );
        }
        v.finish()?;
        if let Some(u) = req.user_id {
            row.user_id = u;
        }
        if let Some(c) = req.calendar_id {
            row.calendar_id = c;
        }
        if let Some(b) = req.birth_date {
            row.birth_date = b;
        }
        if let Some(b) = bank {
            row.bank_account = b;
        }
        save(conn, actor, row, expected_version, &before)
    })
}

pub fn terminate_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    req: TerminateRequest,
) -> Result<EmployeeResponse, AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, id)?;
        let before = respond(conn, actor, &named)?;
        let mut row = named.0;
        let expected = row.version;
        let mut v = Validator::new();
        if let Some(t) = row.terminated_on {
            v.add(
                "terminated_on",
                format!("the employee's last day is set already, {t}"),
            );
        }
        let latest = repo::latest_assignment_on(conn, row.id)?;
        match repo::pending_assignment(conn, row.id)? {
            Some(p) if req.terminated_on < p.effective_on => v.add(
                "terminated_on",
                format!(
                    "a transfer is scheduled for {}: cancel it first",
                    p.effective_on
                ),
            ),
            _ => v.check(
                req.terminated_on >= latest,
                "terminated_on",
                "must be on or after the hire date and the latest transfer",
            ),
        }
        v.opt_text("note", req.note.as_deref(), 2000);
        v.finish()?;
        contracts::end_with_employment(conn, actor, row.id, req.terminated_on)?;
        row.terminated_on = Some(req.terminated_on);
        row.termination_reason = Some(enum_to_db(&req.reason));
        row.termination_note = req.note.as_deref().map(|n| n.trim().to_string());
        save(conn, actor, row, expected, &before)
    })
}

pub fn get_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<EmployeeResponse, AppError> {
    if !actor.can(READ) {
        // The employee may read their own record by id too.
        if let Some(named) = repo::find(conn, actor.company_id, id)? {
            if actor.can(SELF) && is_self(actor, &named.0) {
                return respond(conn, actor, &named);
            }
        }
        actor.require(READ)?;
    }
    let named = load(conn, actor, id)?;
    respond(conn, actor, &named)
}

/// The page as the actor may see it, the contracts in force read in one query.
pub(super) fn respond_page(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &[Named],
) -> Result<Vec<EmployeeResponse>, AppError> {
    let mut visible = Vec::new();
    for (row, _) in rows {
        if may_see_confidential(actor, row)? {
            visible.push(row.id);
        }
    }
    let mut in_force: HashMap<EmployeeId, ContractRow> = HashMap::new();
    if !visible.is_empty() {
        for c in contract::repo::in_force(conn, &visible, wire::today())? {
            in_force.insert(c.employee_id, c);
        }
    }
    rows.iter()
        .map(|(row, name)| {
            let confidential = if visible.contains(&row.id) {
                Some(confidential_of(row, in_force.get(&row.id))?)
            } else {
                None
            };
            to_response(row, name, confidential)
        })
        .collect()
}

pub fn list_employees(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: EmployeeListQuery,
) -> Result<EmployeePage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let mut v = Validator::new();
    v.opt_text("q", q.q.as_deref(), 200);
    v.finish()?;
    check_list_filters(conn, actor, &q)?;
    let filter = EmployeeFilter {
        branch_ids: actor.visible_branches(),
        branch_id: q.branch_id,
        department_id: q.department_id,
        position_id: q.position_id,
        manager_id: q.manager_id,
        employed: q.employed.map(|e| (e, q.at.unwrap_or_else(wire::today))),
        search: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.id);
    Ok(EmployeePage {
        items: respond_page(conn, actor, &rows)?,
        next_cursor,
    })
}
