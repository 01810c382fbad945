//! Contracts: made for an employee, never overlapping another of theirs; amended from a date
//! by ending the contract the day before and continuing it with the changed terms.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Qty};
use erp_finance::currency::fits_minor_unit;
use erp_finance::entry::service::company_currency;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::ContractRow;
use super::repo;
use crate::employee::model::EmployeeRow;
use crate::employee::service::{load_for_write, may_see_confidential};
use crate::error::HrError;
use crate::ids::{ContractId, EmployeeId, PayStructureId};

pub use crate::rights::CONFIDENTIAL_READ as READ;
pub use crate::rights::CONFIDENTIAL_WRITE as WRITE;
const ENTITY: &str = "hr_contracts";

pub fn to_response(
    row: &ContractRow,
    amended_by: Option<ContractId>,
) -> Result<ContractResponse, AppError> {
    Ok(ContractResponse {
        id: row.id,
        employee_id: row.employee_id,
        kind: enum_from_db(&row.kind)?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        probation_ends_on: row.probation_ends_on,
        hours_per_week: Qty::from_scaled(row.hours_per_week),
        pay_basis: row.pay_basis,
        pay_rate: Money::from_scaled(row.pay_rate),
        currency: row.currency.clone(),
        pay_structure_id: row.pay_structure_id,
        amends_id: row.amends_id,
        amended_by,
        note: row.note.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// The contracts as the history reads them, each with the amendment that continues it.
pub fn history(rows: &[ContractRow]) -> Result<Vec<ContractResponse>, AppError> {
    rows.iter()
        .map(|r| {
            let next = rows.iter().find(|n| n.amends_id == Some(r.id));
            to_response(r, next.map(|n| n.id))
        })
        .collect()
}

/// The terms every contract must keep, whether new or amended.
struct Terms {
    kind: ContractKind,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    probation_ends_on: Option<NaiveDate>,
    hours_per_week: Qty,
    pay_basis: PayBasis,
    pay_rate: Money,
    currency: String,
}

fn check_terms(v: &mut Validator, t: &Terms, employee: &EmployeeRow) {
    v.check(
        t.starts_on >= employee.hired_on,
        "starts_on",
        "must be on or after the hire date",
    );
    if let Some(last) = employee.terminated_on {
        v.check(
            t.starts_on <= last,
            "starts_on",
            "must be on or before the employee's last day",
        );
    }
    if let Some(end) = t.ends_on {
        v.check(
            end >= t.starts_on,
            "ends_on",
            "must be on or after starts_on",
        );
    }
    v.check(
        t.kind != ContractKind::FixedTerm || t.ends_on.is_some(),
        "ends_on",
        "a fixed-term contract needs its last day",
    );
    if let Some(p) = t.probation_ends_on {
        v.check(
            p >= t.starts_on && t.ends_on.is_none_or(|e| p <= e),
            "probation_ends_on",
            "must lie within the contract",
        );
    }
    let hours = t.hours_per_week.value();
    v.check(
        hours > Decimal::ZERO && hours <= Decimal::from(168),
        "hours_per_week",
        "must be over 0 and at most 168",
    );
    v.check(
        t.pay_rate.value() >= Decimal::ZERO,
        "pay_rate",
        "must not be negative",
    );
    let iso = t.currency.len() == 3 && t.currency.chars().all(|c| c.is_ascii_uppercase());
    v.check(iso, "currency", "must be an ISO 4217 code such as EUR");
    if iso && t.pay_basis == PayBasis::MonthlySalary {
        v.check(
            fits_minor_unit(t.pay_rate, &t.currency),
            "pay_rate",
            "a salary is paid in whole minor units of its currency",
        );
    }
}

/// Refuses a span that shares a day with another contract of the employee.
fn check_overlap(
    others: &[ContractRow],
    skip: Option<ContractId>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    for o in others {
        if Some(o.id) != skip && o.overlaps(starts_on, ends_on) {
            let end = o.ends_on.map_or("open".to_string(), |e| e.to_string());
            return Err(HrError::ContractOverlap {
                existing: o.id.to_string(),
                span: format!("{} to {end}", o.starts_on),
            }
            .into());
        }
    }
    Ok(())
}

/// Makes a contract for the employee inside the caller's transaction; the caller checked
/// the right to.
pub(crate) fn insert_new(
    conn: &mut DbConnection,
    actor: &Actor,
    employee: &EmployeeRow,
    req: NewContractRequest,
) -> Result<ContractResponse, AppError> {
    let currency = match &req.currency {
        Some(c) => c.trim().to_string(),
        None => company_currency(conn, employee.company_id)?,
    };
    let terms = Terms {
        kind: req.kind,
        starts_on: req.starts_on,
        ends_on: req.ends_on,
        probation_ends_on: req.probation_ends_on,
        hours_per_week: req.hours_per_week,
        pay_basis: req.pay_basis,
        pay_rate: req.pay_rate,
        currency,
    };
    let mut v = Validator::new();
    check_terms(&mut v, &terms, employee);
    v.opt_text("note", req.note.as_deref(), 2000);
    check_structure(
        conn,
        &mut v,
        employee.company_id,
        req.pay_structure_id.as_ref(),
    )?;
    v.finish()?;
    let others = repo::of_employee(conn, employee.id)?;
    check_overlap(&others, None, terms.starts_on, terms.ends_on)?;
    let at = now();
    let row = ContractRow {
        id: req.id.unwrap_or_default(),
        company_id: employee.company_id,
        employee_id: employee.id,
        kind: enum_to_db(&terms.kind),
        starts_on: terms.starts_on,
        ends_on: terms.ends_on,
        probation_ends_on: terms.probation_ends_on,
        hours_per_week: terms.hours_per_week.to_scaled()?,
        pay_basis: terms.pay_basis,
        pay_rate: terms.pay_rate.to_scaled()?,
        currency: terms.currency,
        amends_id: None,
        note: req.note.as_deref().map(|n| n.trim().to_string()),
        version: 1,
        created_by: actor.user_id,
        created_at: at,
        updated_at: at,
        pay_structure_id: req.pay_structure_id,
    };
    repo::insert(conn, &row)?;
    let out = to_response(&row, None)?;
    audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
    Ok(out)
}

/// Ends the employee's contracts with their last day; refuses one that starts after it.
pub(crate) fn end_with_employment(
    conn: &mut DbConnection,
    actor: &Actor,
    employee_id: EmployeeId,
    last_day: NaiveDate,
) -> Result<(), AppError> {
    for mut c in repo::of_employee(conn, employee_id)? {
        if c.starts_on > last_day {
            return Err(AppError::field(
                "terminated_on",
                format!(
                    "the contract starting {} begins after this last day; correct it first",
                    c.starts_on
                ),
            ));
        }
        if c.ends_on.is_none_or(|e| e > last_day) {
            let before = to_response(&c, None)?;
            let expected = c.version;
            c.ends_on = Some(last_day);
            c.probation_ends_on = c.probation_ends_on.filter(|p| *p <= last_day);
            c.version += 1;
            c.updated_at = now();
            if !repo::update_versioned(conn, &c, expected)? {
                return Err(AppError::VersionMismatch {
                    current: expected + 1,
                });
            }
            let after = to_response(&c, None)?;
            audit::updated(conn, actor, ENTITY, c.id, &before, &after)?;
        }
    }
    Ok(())
}

pub fn create_contract(
    conn: &mut DbConnection,
    actor: &Actor,
    employee_id: EmployeeId,
    req: NewContractRequest,
) -> Result<ContractResponse, AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let employee = load_for_write(conn, actor, employee_id)?;
        insert_new(conn, actor, &employee, req)
    })
}

pub fn amend_contract(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
    req: AmendContractRequest,
) -> Result<ContractResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut old = repo::find(conn, company, id)?.ok_or(AppError::NotFound("contract"))?;
        let employee = load_for_write(conn, actor, old.employee_id)?;
        let day = req.effective_on;
        if day <= old.starts_on || old.ends_on.is_some_and(|e| day > e) {
            let end = old.ends_on.map_or("open".to_string(), |e| e.to_string());
            return Err(AppError::field(
                "effective_on",
                format!(
                    "must fall after the contract's first day and within it ({} to {end})",
                    old.starts_on
                ),
            ));
        }
        let terms = Terms {
            kind: req.kind.unwrap_or(enum_from_db(&old.kind)?),
            starts_on: day,
            ends_on: req.ends_on.unwrap_or(old.ends_on),
            probation_ends_on: old.probation_ends_on.filter(|p| *p >= day),
            hours_per_week: req
                .hours_per_week
                .unwrap_or(Qty::from_scaled(old.hours_per_week)),
            pay_basis: req.pay_basis.unwrap_or(old.pay_basis),
            pay_rate: req.pay_rate.unwrap_or(Money::from_scaled(old.pay_rate)),
            currency: old.currency.clone(),
        };
        let mut v = Validator::new();
        check_terms(&mut v, &terms, &employee);
        v.opt_text("note", req.note.as_deref(), 2000);
        let pay_structure_id = match &req.pay_structure_id {
            Some(s) => {
                check_structure(conn, &mut v, company, s.as_ref())?;
                *s
            }
            None => old.pay_structure_id,
        };
        v.finish()?;
        let others = repo::of_employee(conn, employee.id)?;
        check_overlap(&others, Some(old.id), terms.starts_on, terms.ends_on)?;

        let before = to_response(&old, None)?;
        let expected = old.version;
        let at = now();
        let new = ContractRow {
            id: req.id.unwrap_or_default(),
            company_id: old.company_id,
            employee_id: old.employee_id,
            kind: enum_to_db(&terms.kind),
            starts_on: day,
            ends_on: terms.ends_on,
            probation_ends_on: terms.probation_ends_on,
            hours_per_week: terms.hours_per_week.to_scaled()?,
            pay_basis: terms.pay_basis,
            pay_rate: terms.pay_rate.to_scaled()?,
            currency: terms.currency,
            amends_id: Some(old.id),
            note: req
                .note
                .as_deref()
                .map(|n| n.trim().to_string())
                .or(old.note.clone()),
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
            pay_structure_id,
        };
        old.ends_on = day.pred_opt();
        old.probation_ends_on = old.probation_ends_on.filter(|p| *p < day);
        old.version += 1;
        old.updated_at = at;
        if !repo::update_versioned(conn, &old, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        repo::insert(conn, &new)?;
        let ended = to_response(&old, Some(new.id))?;
        audit::updated(conn, actor, ENTITY, old.id, &before, &ended)?;
        let out = to_response(&new, None)?;
        audit::record(conn, actor, ENTITY, new.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_contract(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ContractId,
) -> Result<ContractResponse, AppError> {
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("contract"))?;
    let (employee, _) = crate::employee::repo::find(conn, row.company_id, row.employee_id)?
        .ok_or(AppError::NotFound("contract"))?;
    if !may_see_confidential(actor, &employee)? {
        actor.require(READ)?;
        return Err(AppError::NotFound("contract"));
    }
    let rows = repo::of_employee(conn, row.employee_id)?;
    history(&rows)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound("contract"))
}

pub fn list_contracts(
    conn: &mut DbConnection,
    actor: &Actor,
    employee_id: EmployeeId,
) -> Result<ContractList, AppError> {
    let (employee, _) = crate::employee::repo::find(conn, actor.company_id, employee_id)?
        .ok_or(AppError::NotFound("employee"))?;
    if !may_see_confidential(actor, &employee)? {
        actor.require(READ)?;
        return Err(AppError::NotFound("employee"));
    }
    Ok(ContractList {
        items: history(&repo::of_employee(conn, employee.id)?)?,
    })
}

/// Adds a field error unless the pay structure (if any) is one of the company's.
fn check_structure(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    id: Option<&PayStructureId>,
) -> Result<(), AppError> {
    if let Some(id) = id {
        v.check(
            repo::pay_structure_exists(conn, company_id, *id)?,
            "pay_structure_id",
            "no such pay structure",
        );
    }
    Ok(())
}
