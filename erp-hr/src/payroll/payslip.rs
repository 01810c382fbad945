//! Payslips as employees and payroll read them, printed, and the bank file of a run.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::{Price, Qty};

use super::dto::*;
use super::model::{ComponentRow, PayRunRow};
use super::repo;
use crate::employee::service::{is_self, own, SELF};
use crate::ids::{EmployeeId, PayComponentId, PayRunId, PayslipId};

use super::service::*;

/// The company's pay components by id.
pub(super) fn components_by_id(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> Result<HashMap<PayComponentId, ComponentRow>, AppError> {
    Ok(repo::components(conn, company_id)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

pub(super) fn slip_response(
    conn: &mut DbConnection,
    (s, name, number, _): &repo::NamedSlip,
    run: &PayRunRow,
    components: &HashMap<PayComponentId, ComponentRow>,
) -> Result<PayslipResponse, AppError> {
    let lines = repo::lines_of(conn, std::slice::from_ref(&s.id))?
        .iter()
        .map(|l| {
            let c = components.get(&l.component_id);
            Ok(PayslipLine {
                component: c.map(|c| c.code.clone()).unwrap_or_default(),
                name: c.map(|c| c.name.clone()).unwrap_or_default(),
                kind: enum_from_db(&l.kind)?,
                quantity: l.quantity.map(Qty::from_scaled),
                rate: l.rate.map(Price::from_scaled),
                base: l.base.map(money),
                amount: money(l.amount),
                note: l.note.clone(),
                corrects: l.corrects.clone(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(PayslipResponse {
        id: s.id,
        run_id: s.run_id,
        year: run.year,
        month: run.month,
        status: run.status,
        currency: run.currency.clone(),
        employee_id: s.employee_id,
        employee_name: name.clone(),
        employee_number: number.clone(),
        days_employed: s.days_employed,
        lines,
        gross: money(s.gross),
        deductions: money(s.deductions),
        employer: money(s.employer),
        net: money(s.net),
    })
}

/// A payslip: HR with `hr.payroll.read` in the run's branch, or the employee themself once
/// the run is approved.
pub fn get_payslip(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayslipId,
) -> Result<PayslipResponse, AppError> {
    let company = actor.company_id;
    let named = repo::find_slip(conn, company, id)?.ok_or(AppError::NotFound("payslip"))?;
    let run =
        repo::find_run(conn, company, named.0.run_id)?.ok_or(AppError::NotFound("payslip"))?;
    let hr = actor.can(READ) && actor.sees_branch(&run.branch_id);
    if !hr {
        let (e, _) = crate::employee::repo::find(conn, actor.company_id, named.0.employee_id)?
            .ok_or(AppError::NotFound("payslip"))?;
        let mine = actor.can(SELF) && is_self(actor, &e) && run.status != PayRunStatus::Draft;
        if !mine {
            if !actor.can(READ) && !actor.can(SELF) {
                actor.require(READ)?;
            }
            return Err(AppError::NotFound("payslip"));
        }
    }
    let components = components_by_id(conn, company)?;
    slip_response(conn, &named, &run, &components)
}

/// The caller's own payslips of approved and posted runs, the latest first.
pub fn my_payslips(conn: &mut DbConnection, actor: &Actor) -> Result<PayslipList, AppError> {
    let (e, _) = own(conn, actor)?;
    let company = actor.company_id;
    let components = components_by_id(conn, company)?;
    let mut items = Vec::new();
    for (slip, _, _, status) in repo::slips_of_employee(conn, e.id)? {
        if status == PayRunStatus::Draft {
            continue;
        }
        let named =
            repo::find_slip(conn, company, slip.id)?.ok_or(AppError::NotFound("payslip"))?;
        let run =
            repo::find_run(conn, company, slip.run_id)?.ok_or(AppError::NotFound("payslip"))?;
        items.push(slip_response(conn, &named, &run, &components)?);
    }
    Ok(PayslipList { items })
}

/// The bank file of an approved or posted run: one transfer per employee of their net pay to
/// their IBAN, the reference naming the month and the employee number, so the bank
/// statement's lines can be matched to them. Needs `hr.payroll.read` and
/// `hr.confidential.read` (the file holds bank accounts).
pub fn bank_file(conn: &mut DbConnection, actor: &Actor, id: PayRunId) -> Result<String, AppError> {
    actor.require(READ)?;
    actor.require(crate::employee::contract::service::READ)?;
    let run = load_run(conn, actor, id)?;
    if run.status == PayRunStatus::Draft {
        return Err(AppError::InvalidState {
            entity: "pay run",
            action: "pay out",
            current: run.status.to_string(),
        });
    }
    let mut missing = Vec::new();
    let mut rows = Vec::new();
    let accounts: HashMap<EmployeeId, Option<String>> = repo::bank_accounts_of_run(conn, run.id)?
        .into_iter()
        .collect();
    for (slip, name, number, _) in repo::slips_of_run(conn, run.id)? {
        if slip.net == 0 {
            continue;
        }
        match accounts.get(&slip.employee_id).cloned().flatten() {
            Some(iban) => rows.push([
                name,
                iban,
                money(slip.net).to_string(),
                run.currency.clone(),
                transfer_reference(&run, &number),
            ]),
            None => missing.push(number),
        }
    }
    if !missing.is_empty() {
        return Err(AppError::field(
            "bank_account",
            format!("no bank account on file for {}", missing.join(", ")),
        ));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, r: &[String]| {
        w.write_record(r)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    write(
        &mut w,
        &["name", "iban", "amount", "currency", "reference"].map(String::from),
    )?;
    for r in &rows {
        write(&mut w, r)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

/// The payslip with the company's name, for the printable document.
pub fn get_payslip_printable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayslipId,
) -> Result<(PayslipResponse, String), AppError> {
    let slip = get_payslip(conn, actor, id)?;
    let company = erp_core::org::company::repo::find(conn, actor.company_id)?
        .map(|c| c.name)
        .unwrap_or_default();
    Ok((slip, company))
}

/// The payslip as a PDF sheet, for whoever may read it.
pub fn payslip_sheet(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayslipId,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let slip = get_payslip(conn, actor, id)?;
    let issuer = erp_core::org::company::service::letterhead(conn, actor.company_id)?;
    Ok(super::print::sheet(&slip, issuer))
}
