//! Employees: hire, change their own data, transfer, terminate, list and read; the
//! employee's own record and team. Confidential data goes to HR and to the employee only.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{BranchId, PartnerId, UserId};
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;
use erp_core::partner::{self, dto::PartnerKind};

use super::dto::*;
use super::iban;
use super::model::{AssignmentRow, EmployeeRow};
use super::repo::{self, EmployeeFilter, Named};
use crate::contract::model::ContractRow;
use crate::contract::{self, service as contracts};
use crate::department::model::DepartmentRow;
use crate::department::service::{READ, WRITE};
use crate::error::HrError;
use crate::ids::{AssignmentId, CalendarId, DepartmentId, EmployeeId, PositionId};
use crate::{department, position, scope, wire};

pub const SELF: &str = "hr.self";
const ENTITY: &str = "hr_employees";
const ASSIGNMENTS: &str = "hr_assignments";

pub fn status_of(row: &EmployeeRow, today: NaiveDate) -> EmployeeStatus {
    match row.terminated_on {
        Some(last) if last < today => EmployeeStatus::Terminated,
        _ if row.hired_on > today => EmployeeStatus::Starting,
        Some(_) => EmployeeStatus::Leaving,
        None => EmployeeStatus::Active,
    }
}

fn opt_id<T>(
    s: &Option<String>,
    f: fn(&str) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    s.as_deref().map(f).transpose()
}

pub fn to_response(
    row: &EmployeeRow,
    name: &str,
    confidential: Option<ConfidentialData>,
) -> Result<EmployeeResponse, AppError> {
    Ok(EmployeeResponse {
        id: EmployeeId::from_db(&row.id)?,
        number: row.number.clone(),
        partner_id: PartnerId::from_db(&row.partner_id)?,
        name: name.to_string(),
        user_id: opt_id(&row.user_id, UserId::from_db)?,
        branch_id: BranchId::from_db(&row.branch_id)?,
        department_id: DepartmentId::from_db(&row.department_id)?,
        position_id: opt_id(&row.position_id, PositionId::from_db)?,
        manager_id: opt_id(&row.manager_id, EmployeeId::from_db)?,
        calendar_id: opt_id(&row.calendar_id, CalendarId::from_db)?,
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

fn confidential_of(
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
    row.user_id.as_deref() == Some(actor.user_id.to_db().as_str())
}

/// HR of the employee's branch, or the employee themself.
pub fn may_see_confidential(actor: &Actor, row: &EmployeeRow) -> Result<bool, AppError> {
    Ok(is_self(actor, row) || (actor.can(contracts::READ) && scope::sees(actor, &row.branch_id)?))
}

/// The response as the actor may see it: with the confidential part for HR and the employee.
fn respond(
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
fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Named, AppError> {
    match repo::find(conn, &actor.company_id.to_db(), id)? {
        Some(named) if scope::sees(actor, &named.0.branch_id)? => Ok(named),
        _ => Err(AppError::NotFound("employee")),
    }
}

/// An employee to change, with their name: visible to the actor, and not gone before today.
fn load_named_for_write(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
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
    id: &str,
) -> Result<EmployeeRow, AppError> {
    load_named_for_write(conn, actor, id).map(|(row, _)| row)
}

/// Adds a field error unless `id` is an employee of the company who is not gone, and not
/// `not` (an employee is not their own manager).
pub fn check_manager(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: &str,
    field: &str,
    id: EmployeeId,
    not: Option<&str>,
) -> Result<(), AppError> {
    let id = id.to_db();
    if not == Some(id.as_str()) {
        v.add(field, "an employee is not their own manager");
        return Ok(());
    }
    match repo::find(conn, company_id, &id)? {
        Some((m, _)) if m.terminated_on.is_none_or(|t| t >= wire::today()) => {}
        Some(_) => v.add(field, "the employee has left the company"),
        None => v.add(field, "no such employee in the company"),
    }
    Ok(())
}

/// Adds field errors unless the position (if any) belongs to the department.
fn check_position(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: &str,
    position: Option<PositionId>,
    department: &DepartmentRow,
) -> Result<(), AppError> {
    if let Some(p) = position {
        match position::repo::find(conn, company_id, &p.to_db())? {
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

fn check_user(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: &str,
    user: UserId,
    not: Option<&str>,
) -> Result<(), AppError> {
    match erp_core::iam::user::repo::find(conn, &user.to_db())? {
        Some(u) if u.company_id == company_id => {
            if let Some(number) = repo::linked_to_user(conn, &u.id)? {
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

fn check_calendar(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: &str,
    id: CalendarId,
) -> Result<(), AppError> {
    if crate::calendar::repo::find(conn, company_id, &id.to_db())?.is_none() {
        v.add("calendar_id", "no such work calendar in the company");
    }
    Ok(())
}

fn check_bank_account(v: &mut Validator, raw: &str) -> Option<String> {
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
fn department_for(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    id: DepartmentId,
) -> Result<Option<DepartmentRow>, AppError> {
    match department::service::load(conn, actor, &id.to_db()) {
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
    let company = actor.company_id.to_db();
    let id = req.id.unwrap_or_default().to_db();
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        if let Some(n) = &req.number {
            v.code("number", n, 32);
        }
        match (&req.partner_id, &req.person) {
            (Some(_), Some(_)) | (None, None) => {
                v.add("partner_id", "give either partner_id or person, not both")
            }
            (Some(p), None) => match partner::repo::find(conn, &p.to_db(), &company)? {
                Some(x) if x.kind == "person" => {}
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
            check_position(conn, &mut v, &company, req.position_id, d)?;
        }
        if let Some(m) = req.manager_id {
            check_manager(conn, &mut v, &company, "manager_id", m, Some(&id))?;
        }
        if let Some(u) = req.user_id {
            check_user(conn, &mut v, &company, u, None)?;
        }
        if let Some(c) = req.calendar_id {
            check_calendar(conn, &mut v, &company, c)?;
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
            (Some(p), _) => p.to_db(),
            (None, Some(person)) => partner::service::create_partner_unchecked(conn, actor, person)
                .map_err(|e| e.under("person"))?
                .id
                .to_db(),
            (None, None) => return Err(AppError::Internal("partner checked".into())),
        };
        if let Some(e) = repo::employment_of_partner(conn, &partner_id, req.hired_on)? {
            let person = partner::repo::find(conn, &partner_id, &company)?
                .map_or(partner_id.clone(), |p| p.name);
            return Err(HrError::AlreadyEmployed {
                person,
                number: e.number,
            }
            .into());
        }
        let number = match &req.number {
            Some(n) => {
                let n = n.trim().to_string();
                if repo::number_taken(conn, &company, &n)? {
                    return Err(HrError::DuplicateNumber(n).into());
                }
                n
            }
            None => next_number(conn, &company, "EMP", req.hired_on.year())?,
        };
        let manager_id = match req.manager_id {
            Some(m) => Some(m.to_db()),
            None => dept.manager_id.clone().filter(|m| *m != id),
        };
        let at = now();
        let row = EmployeeRow {
            id: id.clone(),
            company_id: company.clone(),
            number,
            partner_id,
            user_id: req.user_id.map(|u| u.to_db()),
            branch_id: dept.branch_id.clone(),
            department_id: dept.id.clone(),
            position_id: req.position_id.map(|p| p.to_db()),
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
            calendar_id: req.calendar_id.map(|c| c.to_db()),
        };
        repo::insert(conn, &row)?;
        repo::insert_assignment(conn, &assignment(actor, &row, row.hired_on, "hired"))?;
        if let Some(c) = req.contract {
            contracts::insert_new(conn, actor, &row, c).map_err(|e| e.under("contract"))?;
        }
        let named = repo::find(conn, &company, &row.id)?.ok_or(AppError::NotFound("employee"))?;
        let out = respond(conn, actor, &named)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

fn assignment(
    actor: &Actor,
    row: &EmployeeRow,
    effective_on: NaiveDate,
    reason: &str,
) -> AssignmentRow {
    AssignmentRow {
        id: AssignmentId::new().to_db(),
        company_id: row.company_id.clone(),
        employee_id: row.id.clone(),
        effective_on,
        branch_id: row.branch_id.clone(),
        department_id: row.department_id.clone(),
        position_id: row.position_id.clone(),
        manager_id: row.manager_id.clone(),
        reason: reason.to_string(),
        created_by: actor.user_id.to_db(),
        created_at: now(),
        pending: false,
    }
}

/// Writes the changed row if it is still at `expected`, with the audit record.
fn save(
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
    let id = row.id.clone();
    let after = respond(conn, actor, &(row, before.name.clone()))?;
    audit::updated(conn, actor, ENTITY, &id, before, &after)?;
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
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, &id.to_db())?;
        if named.0.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: named.0.version,
            });
        }
        let before = respond(conn, actor, &named)?;
        let mut row = named.0;
        let mut v = Validator::new();
        if let Some(Some(u)) = req.user_id {
            check_user(conn, &mut v, &company, u, Some(&row.id))?;
        }
        if let Some(Some(c)) = req.calendar_id {
            check_calendar(conn, &mut v, &company, c)?;
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
            row.user_id = u.map(|u| u.to_db());
        }
        if let Some(c) = req.calendar_id {
            row.calendar_id = c.map(|c| c.to_db());
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

pub fn transfer_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    req: TransferRequest,
) -> Result<AssignmentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, &id.to_db())?;
        let before = respond(conn, actor, &named)?;
        let mut row = named.0;
        let expected = row.version;
        let mut v = Validator::new();
        v.text("reason", &req.reason, 500);
        let latest = repo::latest_assignment_on(conn, &row.id)?;
        if req.effective_on <= latest {
            v.add(
                "effective_on",
                format!("must be after the current assignment's first day, {latest}"),
            );
        }
        if req.effective_on > wire::today() + chrono::Duration::days(366) {
            v.add("effective_on", "at most a year ahead");
        }
        if let Some(p) = repo::pending_assignment(conn, &row.id)? {
            return Err(AppError::conflict(
                "transfer_scheduled",
                format!(
                    "a transfer is scheduled for {}; cancel it first",
                    p.effective_on
                ),
            ));
        }
        if let Some(last) = row.terminated_on {
            v.check(
                req.effective_on <= last,
                "effective_on",
                "must be on or before the employee's last day",
            );
        }
        let dept = match req.department_id {
            Some(d) => department_for(conn, &mut v, actor, d)?,
            None => department::repo::find(conn, &company, &row.department_id)?,
        };
        let position = match req.position_id {
            Some(p) => p,
            None => row
                .position_id
                .as_deref()
                .map(PositionId::from_db)
                .transpose()?,
        };
        if let Some(d) = &dept {
            let field_moved = req.department_id.is_some() && req.position_id.is_none();
            if field_moved && row.position_id.is_some() && d.id != row.department_id {
                v.add(
                    "position_id",
                    "the current position belongs to the old department: name one of the new department, or null",
                );
            } else {
                check_position(conn, &mut v, &company, position, d)?;
            }
        }
        if let Some(Some(m)) = req.manager_id {
            check_manager(conn, &mut v, &company, "manager_id", m, Some(&row.id))?;
        }
        v.finish()?;
        let dept = dept.ok_or(AppError::NotFound("department"))?;
        row.branch_id = dept.branch_id.clone();
        row.department_id = dept.id.clone();
        row.position_id = position.map(|p| p.to_db());
        if let Some(m) = req.manager_id {
            row.manager_id = m.map(|m| m.to_db());
        }
        let a = AssignmentRow {
            pending: req.effective_on > wire::today(),
            ..assignment(actor, &row, req.effective_on, req.reason.trim())
        };
        repo::insert_assignment(conn, &a)?;
        // A transfer scheduled ahead moves the employee when its day comes.
        if !a.pending {
            save(conn, actor, row, expected, &before)?;
        }
        let out = assignment_response(&a)?;
        audit::record(conn, actor, ASSIGNMENTS, &a.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Cancels a transfer scheduled ahead, before its day.
pub fn cancel_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    transfer_id: AssignmentId,
) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let (row, _) = load_named_for_write(conn, actor, &id.to_db())?;
        let a = repo::find_assignment(conn, &row.id, &transfer_id.to_db())?
            .ok_or(AppError::NotFound("transfer"))?;
        if !a.pending {
            return Err(AppError::conflict(
                "transfer_applied",
                format!(
                    "the transfer of {} is in the employee's history; record another transfer instead",
                    a.effective_on
                ),
            ));
        }
        let before = assignment_response(&a)?;
        repo::delete_assignment(conn, &a.id)?;
        audit::record(conn, actor, ASSIGNMENTS, &a.id, Change::Deleted(&before))
    })
}

/// Moves the employees whose scheduled transfer's day has come (`today` or earlier); the
/// server calls it every minute. Returns how many moved.
pub fn apply_due_transfers(conn: &mut DbConnection, today: NaiveDate) -> Result<usize, AppError> {
    let mut moved = 0;
    for a in repo::due_assignments(conn, today)? {
        moved += write_tx(conn, |conn| {
            // Another server may have applied it first: then nothing is left to do.
            if !repo::mark_applied(conn, &a.id)? {
                return Ok(0);
            }
            let Some((mut row, _)) = repo::find(conn, &a.company_id, &a.employee_id)? else {
                return Ok(0);
            };
            let expected = row.version;
            row.branch_id = a.branch_id.clone();
            row.department_id = a.department_id.clone();
            row.position_id = a.position_id.clone();
            row.manager_id = a.manager_id.clone();
            row.version += 1;
            row.updated_at = now();
            if !repo::update_versioned(conn, &row, expected)? {
                return Err(AppError::VersionMismatch {
                    current: expected + 1,
                });
            }
            Ok(1)
        })?;
    }
    Ok(moved)
}

pub fn terminate_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    req: TerminateRequest,
) -> Result<EmployeeResponse, AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, &id.to_db())?;
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
        let latest = repo::latest_assignment_on(conn, &row.id)?;
        match repo::pending_assignment(conn, &row.id)? {
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
        contracts::end_with_employment(conn, actor, &row.id, req.terminated_on)?;
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
        if let Some(named) = repo::find(conn, &actor.company_id.to_db(), &id.to_db())? {
            if actor.can(SELF) && is_self(actor, &named.0) {
                return respond(conn, actor, &named);
            }
        }
        actor.require(READ)?;
    }
    let named = load(conn, actor, &id.to_db())?;
    respond(conn, actor, &named)
}

/// The page as the actor may see it, the contracts in force read in one query.
fn respond_page(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &[Named],
) -> Result<Vec<EmployeeResponse>, AppError> {
    let mut visible = Vec::new();
    for (row, _) in rows {
        if may_see_confidential(actor, row)? {
            visible.push(row.id.clone());
        }
    }
    let mut in_force: HashMap<String, ContractRow> = HashMap::new();
    if !visible.is_empty() {
        for c in contract::repo::in_force(conn, &visible, wire::today())? {
            in_force.insert(c.employee_id.clone(), c);
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
    let filter = EmployeeFilter {
        branch_ids: scope::branch_filter(actor),
        branch_id: q.branch_id.map(|b| b.to_db()),
        department_id: q.department_id.map(|d| d.to_db()),
        position_id: q.position_id.map(|p| p.to_db()),
        manager_id: q.manager_id.map(|m| m.to_db()),
        employed: q.employed.map(|e| (e, q.at.unwrap_or_else(wire::today))),
        search: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.0.id);
    Ok(EmployeePage {
        items: respond_page(conn, actor, &rows)?,
        next_cursor,
    })
}

fn assignment_response(a: &AssignmentRow) -> Result<AssignmentResponse, AppError> {
    Ok(AssignmentResponse {
        id: AssignmentId::from_db(&a.id)?,
        employee_id: EmployeeId::from_db(&a.employee_id)?,
        effective_on: a.effective_on,
        branch_id: BranchId::from_db(&a.branch_id)?,
        department_id: DepartmentId::from_db(&a.department_id)?,
        position_id: opt_id(&a.position_id, PositionId::from_db)?,
        manager_id: opt_id(&a.manager_id, EmployeeId::from_db)?,
        reason: a.reason.clone(),
        scheduled: a.pending,
        created_at: a.created_at.and_utc(),
    })
}

pub fn list_assignments(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<AssignmentList, AppError> {
    actor.require(READ)?;
    let (row, _) = load(conn, actor, &id.to_db())?;
    Ok(AssignmentList {
        items: repo::assignments_of(conn, &row.id)?
            .iter()
            .map(assignment_response)
            .collect::<Result<_, _>>()?,
    })
}

/// The employee record linked to the actor's user.
pub(crate) fn own(conn: &mut DbConnection, actor: &Actor) -> Result<Named, AppError> {
    actor.require(SELF)?;
    repo::find_by_user(conn, &actor.company_id.to_db(), &actor.user_id.to_db())?
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
    let named = repo::find(conn, &actor.company_id.to_db(), &id.to_db())?
        .ok_or(AppError::NotFound("employee"))?;
    if is_self(actor, &named.0) && actor.can(SELF) {
        return Ok(named);
    }
    actor.require(right)?;
    if !scope::sees(actor, &named.0.branch_id)? {
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
        items: contracts::history(&contract::repo::of_employee(conn, &row.id)?)?,
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
        manager_id: Some(me.id.clone()),
        employed: Some((true, wire::today())),
        ..Default::default()
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.0.id);
    Ok(EmployeePage {
        items: rows
            .iter()
            .map(|(row, name)| to_response(row, name, None))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
