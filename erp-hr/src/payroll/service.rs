//! Pay runs: computed for a branch and month, read, deleted while draft. Each employee's
//! payslip in a run is computed in `slip.rs`; approving, posting and paying runs is in
//! `lifecycle.rs`, pay components in `component.rs`, payslips and the bank file in
//! `payslip.rs`.

use std::collections::{HashMap, HashSet};

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::pagination::{CursorKey, PageParams};
use erp_finance::entry::service::company_currency;

use super::dto::*;
use super::engine::Component;
use super::facts::{grouped, Facts};
use super::model::{ComponentRow, PayRunRow};
use super::repo;
use super::slip::payslip_of;
use super::structure;
use crate::attendance;
use crate::employee::model::EmployeeRow;
use crate::ids::{PayRunId, PayStructureId};
use erp_core::org::branch;

pub use crate::rights::PAYROLL_APPROVE as APPROVE;
pub use crate::rights::PAYROLL_READ as READ;
pub use crate::rights::PAYROLL_WRITE as WRITE;
pub(super) const RUNS: &str = "hr_pay_runs";

pub use super::component::*;
pub use super::lifecycle::*;
use super::month::*;
pub use super::payslip::*;

/// The run's own fields, with the number of its payslips.
fn run_summary(row: &PayRunRow, payslip_count: i64) -> Result<PayRunSummary, AppError> {
    Ok(PayRunSummary {
        id: row.id,
        branch_id: row.branch_id,
        year: row.year,
        month: row.month,
        status: row.status,
        currency: row.currency.clone(),
        gross: money(row.gross),
        deductions: money(row.deductions),
        employer: money(row.employer),
        net: money(row.net),
        payable_account_id: row.payable_account_id,
        entry_id: row.entry_id,
        approved_by: row.approved_by,
        approved_at: row.approved_at.map(|t| t.and_utc()),
        paid_on: row.paid_on,
        payslip_count,
        version: row.version,
        created_at: row.created_at.and_utc(),
    })
}

pub(super) fn run_response(
    conn: &mut DbConnection,
    row: &PayRunRow,
) -> Result<PayRunResponse, AppError> {
    let slips = repo::slips_of_run(conn, row.id)?;
    Ok(PayRunResponse {
        run: run_summary(row, slips.len() as i64)?,
        payslips: slips
            .iter()
            .map(|(s, name, number, _)| {
                Ok(PayslipSummary {
                    id: s.id,
                    employee_id: s.employee_id,
                    employee_name: name.clone(),
                    employee_number: number.clone(),
                    days_employed: s.days_employed,
                    gross: money(s.gross),
                    deductions: money(s.deductions),
                    employer: money(s.employer),
                    net: money(s.net),
                    payment_id: s.payment_id,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}

pub(super) fn load_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
) -> Result<PayRunRow, AppError> {
    repo::find_run(conn, actor.company_id, id)?
        .filter(|r| actor.sees_branch(&r.branch_id))
        .ok_or(AppError::NotFound("pay run"))
}

/// Computes the pay run of a branch and month: a payslip for everyone employed in it, from
/// their contracts, attendance and leave, with corrections of earlier months.
pub fn create_run(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePayRunRequest,
) -> Result<PayRunResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let bounds = check_new_run(conn, actor, &req)?;
        let components = active_components(conn, company)?;
        let engine_components: Vec<Component> = components
            .iter()
            .map(engine_component)
            .collect::<Result<_, _>>()?;
        let rules = attendance::service::active_overtime_rules(conn, actor.company_id)?;
        let currency = company_currency(conn, company)?;
        let people = attendance::repo::employees_between(
            conn,
            actor.company_id,
            &crate::team::Reach::Branches(Some(vec![req.branch_id])),
            None,
            None,
            bounds,
            100_000,
        )?;
        let mut run = new_run(actor, &req, &currency);
        repo::insert_run(conn, &run)?;
        let employees: Vec<&EmployeeRow> = people.iter().map(|(e, _)| e).collect();
        let facts = Facts::load(conn, actor.company_id, &employees, bounds)?;
        let ids: Vec<_> = employees.iter().map(|e| e.id).collect();
        let current = req.year * 12 + req.month;
        let settled = grouped(
            repo::settled_slips_of(conn, &ids, (current - 12, current - 1))?,
            |s| s.0.employee_id,
        );
        let setup = RunSetup {
            components: &components,
            engine_components: &engine_components,
            rules: &rules,
            currency: &currency,
            structures: structures_of(conn, company, &components)?,
        };
        let (mut slips, mut slip_lines) = (Vec::new(), Vec::new());
        for e in employees {
            let settled = settled.get(&e.id).map_or(&[][..], Vec::as_slice);
            let Some((row, lines)) = payslip_of(conn, &run, e, (&facts, settled), &setup)? else {
                continue;
            };
            run.gross += row.gross;
            run.deductions += row.deductions;
            run.employer += row.employer;
            run.net += row.net;
            slips.push(row);
            slip_lines.extend(lines);
        }
        repo::insert_slips(conn, &slips)?;
        repo::insert_lines(conn, &slip_lines)?;
        if !repo::update_run(conn, &run, 1)? {
            return Err(AppError::VersionMismatch { current: 2 });
        }
        let out = run_response(conn, &run)?;
        audit::record(conn, actor, RUNS, run.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Checks a new run's request, and that the branch has no run of that month yet (a posted
/// one is corrected in a later run; a draft is deleted to compute again). Gives the month's
/// first and last day.
fn check_new_run(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreatePayRunRequest,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), AppError> {
    let company = actor.company_id;
    let mut v = Validator::new();
    branch::service::check_workable(conn, &mut v, actor, "branch_id", req.branch_id)?;
    v.check(
        (2000..=2100).contains(&req.year),
        "year",
        "must be 2000 to 2100",
    );
    v.check((1..=12).contains(&req.month), "month", "must be 1 to 12");
    check_account(
        conn,
        &mut v,
        company,
        "payable_account_id",
        Some(req.payable_account_id),
        true,
    )?;
    v.finish()?;
    let bounds = month_bounds(req.year, req.month)
        .ok_or_else(|| AppError::field("month", "must be 1 to 12"))?;
    if let Some(existing) = repo::run_of(conn, company, req.branch_id, req.year, req.month)? {
        return Err(if existing.status == PayRunStatus::Posted {
            AppError::conflict(
                "period_paid",
                format!(
                    "the pay run of {}-{:02} is posted; corrections go into a later run",
                    req.year, req.month
                ),
            )
        } else {
            AppError::conflict(
                "pay_run_exists",
                format!(
                    "a pay run of {}-{:02} exists ({}); delete it to compute again",
                    req.year, req.month, existing.status
                ),
            )
        });
    }
    Ok(bounds)
}

/// The company's active pay components: 422 `payroll_not_configured` when it has none.
fn active_components(
    conn: &mut DbConnection,
    company: CompanyId,
) -> Result<Vec<ComponentRow>, AppError> {
    let components: Vec<ComponentRow> = repo::components(conn, company)?
        .into_iter()
        .filter(|c| c.active)
        .collect();
    if components.is_empty() {
        return Err(AppError::Unprocessable {
            code: "payroll_not_configured",
            detail:
                "the company has no active pay components; create them at /api/v1/hr/pay-components"
                    .into(),
        });
    }
    Ok(components)
}

/// The components of each of the company's pay structures, by their place in `components`.
fn structures_of(
    conn: &mut DbConnection,
    company: CompanyId,
    components: &[ComponentRow],
) -> Result<HashMap<PayStructureId, HashSet<usize>>, AppError> {
    let structure_ids: Vec<_> = repo::structures(conn, company)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    Ok(structure::members(conn, &structure_ids)?
        .into_iter()
        .map(|(id, members)| {
            let at: HashSet<usize> = components
                .iter()
                .enumerate()
                .filter(|(_, c)| members.contains(&c.id))
                .map(|(i, _)| i)
                .collect();
            (id, at)
        })
        .collect())
}

/// A draft run with nothing in it yet.
fn new_run(actor: &Actor, req: &CreatePayRunRequest, currency: &str) -> PayRunRow {
    let at = now();
    PayRunRow {
        id: req.id.unwrap_or_default(),
        company_id: actor.company_id,
        branch_id: req.branch_id,
        year: req.year,
        month: req.month,
        status: PayRunStatus::Draft,
        currency: currency.to_string(),
        gross: 0,
        deductions: 0,
        employer: 0,
        net: 0,
        payable_account_id: req.payable_account_id,
        entry_id: None,
        approved_by: None,
        approved_at: None,
        version: 1,
        created_by: actor.user_id,
        created_at: at,
        updated_at: at,
        paid_on: None,
    }
}

pub fn delete_run(conn: &mut DbConnection, actor: &Actor, id: PayRunId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let run = load_run(conn, actor, id)?;
        if run.status == PayRunStatus::Posted {
            return Err(AppError::InvalidState {
                entity: "pay run",
                action: "delete",
                current: run.status.to_string(),
            });
        }
        let before = run_response(conn, &run)?;
        repo::delete_run(conn, run.id)?;
        audit::record(conn, actor, RUNS, run.id, Change::Deleted(&before))
    })
}

pub fn get_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
) -> Result<PayRunResponse, AppError> {
    actor.require(READ)?;
    let run = load_run(conn, actor, id)?;
    run_response(conn, &run)
}

/// A page of runs, the latest month first and, within a month, the latest created first.
pub fn list_runs(
    conn: &mut DbConnection,
    actor: &Actor,
    q: PayRunQuery,
    page: PageParams,
) -> Result<PayRunList, AppError> {
    actor.require(READ)?;
    let page = page.validate_by::<RunMonth>()?;
    let branches = actor.visible_branches();
    let after = page
        .after
        .as_ref()
        .map(|(m, id)| (m.year, m.month, id.as_str()));
    let rows = repo::runs_page(
        conn,
        actor.company_id,
        branches.as_deref(),
        q.year,
        after,
        page.fetch_limit(),
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| {
        let month = RunMonth {
            year: r.year,
            month: r.month,
        };
        (month, r.id)
    });
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let counts = repo::slip_counts(conn, &ids)?;
    let items = rows
        .iter()
        .map(|r| run_summary(r, counts.get(&r.id).copied().unwrap_or(0)))
        .collect::<Result<_, _>>()?;
    Ok(PayRunList { items, next_cursor })
}

/// The month of a run as a list's cursor holds it: `YYYY-MM`.
struct RunMonth {
    year: i32,
    month: i32,
}

impl CursorKey for RunMonth {
    fn encode(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    fn decode(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let month = RunMonth {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
        };
        (1..=12).contains(&month.month).then_some(month)
    }
}
