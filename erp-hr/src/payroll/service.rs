//! Pay components, pay runs (compute, approve, post, delete a draft) and payslips.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{BranchId, PartnerId, UserId};
use erp_core::money::{Money, Percent, Price, Qty};
use erp_finance::currency::minor_unit;
use erp_finance::entry::builder::{Dimensions, EntryBuilder};
use erp_finance::entry::service::company_currency;
use erp_finance::ids::{AccountId, EntryId, PaymentId};
use erp_finance::journal::dto::JournalKind;
use erp_finance::payment::dto::PaymentKind;
use erp_finance::payment::service::{BatchPayment, PaymentBatch};
use rust_decimal::Decimal;

use super::dto::*;
use super::engine::{
    self, Basis, Bracket, Component, Kind, Method, Month, PaySpan, RoundMode, Rounding,
};
use super::facts::{grouped, Facts};
use super::model::{ComponentRow, PayRunRow, PayslipLineRow, PayslipRow};
use super::repo;
use super::structure;
use crate::attendance::daily::{self, OvertimeRule, Per};
use crate::calendar::days::working_days;
use crate::contract::model::ContractRow;
use crate::employee::model::EmployeeRow;
use crate::employee::service::{is_self, own, SELF};
use crate::ids::{EmployeeId, PayComponentId, PayRunId, PayslipId};
use crate::{attendance, department, scope};

pub const READ: &str = "hr.payroll.read";
pub const WRITE: &str = "hr.payroll.write";
pub const APPROVE: &str = "hr.payroll.approve";
const RUNS: &str = "hr_pay_runs";

fn money(scaled: i64) -> Money {
    Money::from_scaled(scaled)
}

fn scaled(d: Decimal) -> Result<i64, AppError> {
    Ok(Money::new(d)?.to_scaled()?)
}

fn brackets_of(row: &ComponentRow) -> Result<Vec<BracketDto>, AppError> {
    match &row.brackets {
        Some(text) => serde_json::from_str(text)
            .map_err(|_| AppError::Internal(format!("malformed brackets of {}", row.code))),
        None => Ok(Vec::new()),
    }
}

fn component_response(row: &ComponentRow) -> Result<PayComponentResponse, AppError> {
    Ok(PayComponentResponse {
        id: PayComponentId::from_db(&row.id)?,
        code: row.code.clone(),
        name: row.name.clone(),
        kind: enum_from_db(&row.kind)?,
        method: enum_from_db(&row.method)?,
        amount: row.amount.map(money),
        rate: row.rate.map(Percent::from_scaled),
        cap: row.cap.map(money),
        basis: row.basis.as_deref().map(enum_from_db).transpose()?,
        brackets: brackets_of(row)?,
        expense_account_id: row
            .expense_account_id
            .as_deref()
            .map(AccountId::from_db)
            .transpose()?,
        liability_account_id: row
            .liability_account_id
            .as_deref()
            .map(AccountId::from_db)
            .transpose()?,
        round_to: row.round_to.map(money),
        rounding: enum_from_db(&row.rounding)?,
        sequence: row.sequence,
        active: row.active,
    })
}

fn check_account(
    conn: &mut DbConnection,
    v: &mut Validator,
    company: &str,
    field: &str,
    id: Option<AccountId>,
    needed: bool,
) -> Result<(), AppError> {
    let known = match id {
        Some(a) => erp_finance::account::repo::find(conn, company, &a.to_db())?.is_some(),
        None => true,
    };
    if !known {
        v.add(field, "no such account in the company");
    } else if id.is_none() && needed {
        v.add(field, "is required for this kind of component");
    }
    Ok(())
}

pub fn create_component(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePayComponentRequest,
) -> Result<PayComponentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id.to_db();
    let code = req.code.trim().to_string();
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("name", &req.name, 200);
        let hundred = Decimal::ONE_HUNDRED;
        let from_pay = matches!(
            req.method,
            PayMethod::Salary | PayMethod::HourlyPay | PayMethod::Overtime | PayMethod::UnpaidLeave
        );
        if from_pay {
            v.check(
                req.kind == PayKind::Earning,
                "kind",
                "salary, hourly pay, overtime and unpaid leave are earnings",
            );
        }
        match req.method {
            PayMethod::Fixed => v.check(
                req.amount.is_some_and(|a| a.value() >= Decimal::ZERO),
                "amount",
                "a fixed component needs an amount of 0 or more",
            ),
            PayMethod::Percent => v.check(
                req.rate
                    .is_some_and(|r| r.value() >= Decimal::ZERO && r.value() <= hundred),
                "rate",
                "a percent component needs a rate from 0 to 100",
            ),
            PayMethod::Brackets => {
                let b = req.brackets.as_deref().unwrap_or_default();
                let ascending = b.windows(2).all(|w| w[0].over.value() < w[1].over.value());
                let rates = b
                    .iter()
                    .all(|x| x.rate.value() >= Decimal::ZERO && x.rate.value() <= hundred);
                v.check(
                    !b.is_empty() && b[0].over.value().is_zero() && ascending && rates,
                    "brackets",
                    "brackets ascend by over from 0, each with a rate from 0 to 100",
                );
            }
            _ => {}
        }
        if let Some(c) = req.cap {
            v.check(c.value() > Decimal::ZERO, "cap", "must be over 0");
        }
        if let Some(step) = req.round_to {
            let currency = company_currency(conn, &company)?;
            v.check(
                step.value() > Decimal::ZERO
                    && step.value() <= Decimal::from(1000)
                    && erp_finance::currency::fits_minor_unit(step, &currency),
                "round_to",
                &format!("must be over 0, at most 1000, in whole minor units of {currency}"),
            );
        }
        let expense = matches!(req.kind, PayKind::Earning | PayKind::Employer);
        let liability = matches!(req.kind, PayKind::Deduction | PayKind::Employer);
        check_account(
            conn,
            &mut v,
            &company,
            "expense_account_id",
            req.expense_account_id,
            expense,
        )?;
        check_account(
            conn,
            &mut v,
            &company,
            "liability_account_id",
            req.liability_account_id,
            liability,
        )?;
        v.finish()?;
        if repo::component_code_taken(conn, &company, &code)? {
            return Err(crate::HrError::DuplicateCode {
                what: "pay component",
                code: code.clone(),
            }
            .into());
        }
        let row = ComponentRow {
            id: req.id.unwrap_or_default().to_db(),
            company_id: company.clone(),
            code: code.clone(),
            name: req.name.trim().to_string(),
            kind: enum_to_db(&req.kind),
            method: enum_to_db(&req.method),
            amount: req.amount.map(|a| a.to_scaled()).transpose()?,
            rate: req.rate.map(|r| r.to_scaled()).transpose()?,
            cap: req.cap.map(|c| c.to_scaled()).transpose()?,
            basis: req.basis.map(|b| enum_to_db(&b)),
            brackets: req
                .brackets
                .as_ref()
                .map(|b| serde_json::to_string(b).map_err(|e| AppError::Internal(e.to_string())))
                .transpose()?,
            expense_account_id: req
                .expense_account_id
                .filter(|_| expense)
                .map(|a| a.to_db()),
            liability_account_id: req
                .liability_account_id
                .filter(|_| liability)
                .map(|a| a.to_db()),
            sequence: req.sequence,
            active: true,
            created_at: now(),
            round_to: req.round_to.map(|r| r.to_scaled()).transpose()?,
            rounding: enum_to_db(&req.rounding.unwrap_or_default()),
        };
        repo::insert_component(conn, &row)?;
        let out = component_response(&row)?;
        audit::record(
            conn,
            actor,
            "hr_pay_components",
            &row.id,
            Change::Created(&out),
        )?;
        Ok(out)
    })
}

pub fn list_components(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<PayComponentList, AppError> {
    actor.require(READ)?;
    Ok(PayComponentList {
        items: repo::components(conn, &actor.company_id.to_db())?
            .iter()
            .map(component_response)
            .collect::<Result<_, _>>()?,
    })
}

fn engine_component(row: &ComponentRow) -> Result<Component, AppError> {
    let method = match enum_from_db::<PayMethod>(&row.method)? {
        PayMethod::Salary => Method::Salary,
        PayMethod::HourlyPay => Method::HourlyPay,
        PayMethod::Overtime => Method::Overtime,
        PayMethod::UnpaidLeave => Method::UnpaidLeave,
        PayMethod::Fixed => Method::Fixed,
        PayMethod::Percent => Method::Percent,
        PayMethod::Brackets => Method::Brackets,
    };
    let kind = match enum_from_db::<PayKind>(&row.kind)? {
        PayKind::Earning => Kind::Earning,
        PayKind::Deduction => Kind::Deduction,
        PayKind::Employer => Kind::Employer,
    };
    let basis = match row
        .basis
        .as_deref()
        .map(enum_from_db::<PayBasisKind>)
        .transpose()?
    {
        Some(PayBasisKind::GrossLessDeductions) => Basis::GrossLessDeductions,
        _ => Basis::Gross,
    };
    Ok(Component {
        code: row.code.clone(),
        kind,
        method,
        amount: row.amount.map(|a| money(a).value()),
        rate: row.rate.map(|r| Percent::from_scaled(r).value()),
        cap: row.cap.map(|c| money(c).value()),
        basis,
        brackets: brackets_of(row)?
            .iter()
            .map(|b| Bracket {
                over: b.over.value(),
                rate: b.rate.value(),
            })
            .collect(),
        rounding: rounding_of(row)?,
    })
}

/// The component's rounding: `None` for the minor unit to the nearest, the default.
fn rounding_of(row: &ComponentRow) -> Result<Option<Rounding>, AppError> {
    let mode = match enum_from_db::<PayRounding>(&row.rounding)? {
        PayRounding::Nearest => RoundMode::Nearest,
        PayRounding::Down => RoundMode::Down,
        PayRounding::Up => RoundMode::Up,
    };
    Ok(match (row.round_to, mode) {
        (None, RoundMode::Nearest) => None,
        (step, mode) => Some(Rounding {
            step: step.map(|s| money(s).value()),
            mode,
        }),
    })
}

fn month_bounds(year: i32, month: i32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, 1)?;
    let last = first.checked_add_months(chrono::Months::new(1))? - Duration::days(1);
    Some((first, last))
}

/// What the month of `facts` holds for one employee: contract spans with the hours worked in
/// each, overtime by rule, unpaid leave days, working days.
fn month_of(facts: &Facts, e: &EmployeeRow, setup: &RunSetup) -> Result<(Month, i32), AppError> {
    let (rules, currency) = (setup.rules, setup.currency);
    let (first, last) = (facts.first, facts.last);
    let from = first.max(e.hired_on);
    let to = e.terminated_on.map_or(last, |t| t.min(last));
    let week = facts.week(e)?;
    let holidays = facts.holidays(e)?;
    let totals = daily::totals(
        &daily::Plan {
            week,
            holidays,
            leave: &HashMap::new(),
            zone: facts.zone(e),
        },
        facts.stretches(e),
        rules,
        from,
        to,
        Utc::now().naive_utc(),
    );
    let mut spans = Vec::new();
    // The contract in force at the end of the month (or on the last day employed) decides
    // the pay structure of the whole month.
    let mut closing: Option<&ContractRow> = None;
    for c in facts.contracts(e) {
        let (a, b) = (c.starts_on.max(from), c.ends_on.map_or(to, |x| x.min(to)));
        if a > b {
            continue;
        }
        if closing.is_none_or(|l| l.starts_on < c.starts_on) {
            closing = Some(c);
        }
        if c.currency != currency {
            return Err(AppError::field(
                "branch_id",
                format!(
                    "employee {} is paid in {} and the company keeps its books in {currency}; pay in other currencies is not supported yet",
                    e.number, c.currency
                ),
            ));
        }
        let hours_worked = totals
            .days
            .iter()
            .filter(|d| d.day >= a && d.day <= b)
            .map(|d| d.worked)
            .sum();
        spans.push(PaySpan {
            from: a,
            to: b,
            monthly: c.pay_basis == "monthly_salary",
            rate: money(c.pay_rate).value(),
            hours_per_week: Qty::from_scaled(c.hours_per_week).value(),
            hours_worked,
        });
    }
    let mut unpaid_days = Decimal::ZERO;
    for r in facts.unpaid_leave(e) {
        let (a, b) = (r.starts_on.max(from), r.ends_on.min(to));
        if a > b {
            continue;
        }
        unpaid_days += working_days(
            week,
            holidays,
            a,
            b,
            a == r.starts_on && r.half_day_start,
            b == r.ends_on && r.half_day_end,
        );
    }
    let days_employed = i32::try_from((to - from).num_days() + 1).unwrap_or(0);
    Ok((
        Month {
            spans,
            overtime: totals
                .overtime
                .iter()
                .map(|o| (o.code.clone(), o.hours, o.rate))
                .collect(),
            unpaid_days,
            working_days: working_days(week, holidays, first, last, false, false),
            minor_unit: minor_unit(currency),
            applies: closing
                .and_then(|c| c.pay_structure_id.as_ref())
                .map(|s| setup.structures.get(s).cloned().unwrap_or_default()),
        },
        days_employed,
    ))
}

/// What a run needs to compute its payslips, read once for the run.
struct RunSetup<'a> {
    components: &'a [ComponentRow],
    engine_components: &'a [Component],
    rules: &'a [OvertimeRule],
    currency: &'a str,
    /// The components of each pay structure, by their index in `components`.
    structures: HashMap<String, HashSet<usize>>,
}

/// Corrections of earlier months for a change made after they were computed (a backdated
/// raise): each earlier month of the last twelve (`settled`), in an approved or posted run
/// computed before the employee's contracts last changed, is computed again; what differs
/// from what was paid for it (its own lines and earlier corrections) is paid now, component
/// by component.
fn corrections(
    conn: &mut DbConnection,
    e: &EmployeeRow,
    contracts: &[ContractRow],
    settled: &[repo::Settled],
    setup: &RunSetup,
) -> Result<Vec<(usize, Decimal, String)>, AppError> {
    let changed = contracts
        .iter()
        .map(|c| c.updated_at.max(c.created_at))
        .max();
    let Some(changed) = changed else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (slip, y, m, computed_at) in settled {
        if *computed_at >= changed {
            continue;
        }
        let label = format!("{y}-{m:02}");
        let bounds = month_bounds(*y, *m).ok_or_else(|| AppError::Internal("bad month".into()))?;
        let facts = Facts::load(conn, &e.company_id, &[e], bounds)?;
        let (data, _) = month_of(&facts, e, setup)?;
        let fresh = engine::compute(setup.engine_components, &data);
        let mut diff: BTreeMap<usize, Decimal> = BTreeMap::new();
        for l in &fresh.lines {
            *diff.entry(l.component).or_default() += l.amount;
        }
        for paid in repo::lines_paid_for(conn, &e.id, &slip.id, &label)? {
            if let Some(i) = setup
                .components
                .iter()
                .position(|c| c.id == paid.component_id)
            {
                *diff.entry(i).or_default() -= money(paid.amount).value();
            }
        }
        out.extend(
            diff.into_iter()
                .filter(|(_, d)| !d.is_zero())
                .map(|(i, d)| (i, d, label.clone())),
        );
    }
    Ok(out)
}

fn run_response(conn: &mut DbConnection, row: &PayRunRow) -> Result<PayRunResponse, AppError> {
    let slips = repo::slips_of_run(conn, &row.id)?;
    Ok(PayRunResponse {
        id: PayRunId::from_db(&row.id)?,
        branch_id: BranchId::from_db(&row.branch_id)?,
        year: row.year,
        month: row.month,
        status: enum_from_db(&row.status)?,
        currency: row.currency.clone(),
        gross: money(row.gross),
        deductions: money(row.deductions),
        employer: money(row.employer),
        net: money(row.net),
        payable_account_id: AccountId::from_db(&row.payable_account_id)?,
        entry_id: row.entry_id.as_deref().map(EntryId::from_db).transpose()?,
        approved_by: row
            .approved_by
            .as_deref()
            .map(UserId::from_db)
            .transpose()?,
        approved_at: row.approved_at.map(|t| t.and_utc()),
        paid_on: row.paid_on,
        payslips: slips
            .iter()
            .map(|(s, name, number, _)| {
                Ok(PayslipSummary {
                    id: PayslipId::from_db(&s.id)?,
                    employee_id: EmployeeId::from_db(&s.employee_id)?,
                    employee_name: name.clone(),
                    employee_number: number.clone(),
                    days_employed: s.days_employed,
                    gross: money(s.gross),
                    deductions: money(s.deductions),
                    employer: money(s.employer),
                    net: money(s.net),
                    payment_id: s
                        .payment_id
                        .as_deref()
                        .map(PaymentId::from_db)
                        .transpose()?,
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: row.version,
        created_at: row.created_at.and_utc(),
    })
}

fn load_run(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<PayRunRow, AppError> {
    repo::find_run(conn, &actor.company_id.to_db(), id)?
        .filter(|r| scope::sees(actor, &r.branch_id).unwrap_or(false))
        .ok_or(AppError::NotFound("pay run"))
}

pub fn create_run(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePayRunRequest,
) -> Result<PayRunResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        scope::check_branch(conn, &mut v, actor, "branch_id", req.branch_id)?;
        v.check(
            (2000..=2100).contains(&req.year),
            "year",
            "must be 2000 to 2100",
        );
        v.check((1..=12).contains(&req.month), "month", "must be 1 to 12");
        check_account(
            conn,
            &mut v,
            &company,
            "payable_account_id",
            Some(req.payable_account_id),
            true,
        )?;
        v.finish()?;
        let bounds = month_bounds(req.year, req.month)
            .ok_or_else(|| AppError::field("month", "must be 1 to 12"))?;
        let branch = req.branch_id.to_db();
        if let Some(existing) = repo::run_of(conn, &company, &branch, req.year, req.month)? {
            return Err(if existing.status == "posted" {
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
        let components: Vec<ComponentRow> = repo::components(conn, &company)?
            .into_iter()
            .filter(|c| c.active)
            .collect();
        if components.is_empty() {
            return Err(AppError::Unprocessable {
                code: "payroll_not_configured",
                detail: "the company has no active pay components; create them at /api/v1/hr/pay-components".into(),
            });
        }
        let engine_components: Vec<Component> = components
            .iter()
            .map(engine_component)
            .collect::<Result<_, _>>()?;
        let rules: Vec<OvertimeRule> = attendance::repo::rules(conn, &company)?
            .iter()
            .filter(|r| r.active)
            .map(|r| OvertimeRule {
                code: r.code.clone(),
                per: if r.per == "week" { Per::Week } else { Per::Day },
                threshold: Qty::from_scaled(r.threshold).value(),
                rate: Decimal::new(r.rate, 4),
            })
            .collect();
        let currency = company_currency(conn, &company)?;
        let people = attendance::repo::employees_between(
            conn,
            &company,
            &crate::team::Reach::Branches(Some(vec![branch.clone()])),
            None,
            None,
            bounds,
            100_000,
        )?;
        let at = now();
        let mut run = PayRunRow {
            id: req.id.unwrap_or_default().to_db(),
            company_id: company.clone(),
            branch_id: branch.clone(),
            year: req.year,
            month: req.month,
            status: enum_to_db(&PayRunStatus::Draft),
            currency: currency.clone(),
            gross: 0,
            deductions: 0,
            employer: 0,
            net: 0,
            payable_account_id: req.payable_account_id.to_db(),
            entry_id: None,
            approved_by: None,
            approved_at: None,
            version: 1,
            created_by: actor.user_id.to_db(),
            created_at: at,
            updated_at: at,
            paid_on: None,
        };
        repo::insert_run(conn, &run)?;
        let employees: Vec<&EmployeeRow> = people.iter().map(|(e, _)| e).collect();
        let facts = Facts::load(conn, &company, &employees, bounds)?;
        let ids: Vec<String> = employees.iter().map(|e| e.id.clone()).collect();
        let current = req.year * 12 + req.month;
        let settled = grouped(
            repo::settled_slips_of(conn, &ids, (current - 12, current - 1))?,
            |s| &s.0.employee_id,
        );
        let structure_ids: Vec<String> = repo::structures(conn, &company)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let structures = structure::members(conn, &structure_ids)?
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
            .collect();
        let setup = RunSetup {
            components: &components,
            engine_components: &engine_components,
            rules: &rules,
            currency: &currency,
            structures,
        };
        let (mut slips, mut slip_lines) = (Vec::new(), Vec::new());
        for e in employees {
            let (month, days) = month_of(&facts, e, &setup)?;
            if month.spans.is_empty() {
                continue;
            }
            let mut slip = engine::compute(&engine_components, &month);
            let mut corrects = vec![None; slip.lines.len()];
            let settled = settled.get(&e.id).map_or(&[][..], Vec::as_slice);
            for (i, amount, label) in corrections(conn, e, facts.contracts(e), settled, &setup)? {
                let kind = engine_components[i].kind;
                match kind {
                    Kind::Earning => slip.gross += amount,
                    Kind::Deduction => slip.deductions += amount,
                    Kind::Employer => slip.employer += amount,
                }
                slip.lines.push(engine::Line {
                    component: i,
                    kind,
                    quantity: None,
                    rate: None,
                    base: None,
                    amount,
                    note: format!("correction of {label}"),
                });
                corrects.push(Some(label));
            }
            slip.net = slip.gross - slip.deductions;
            if slip.net < Decimal::ZERO {
                return Err(AppError::field(
                    "branch_id",
                    format!(
                        "employee {}'s net pay would be {}: check the components",
                        e.number, slip.net
                    ),
                ));
            }
            let slip_id = PayslipId::new().to_db();
            let lines = slip
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    Ok(PayslipLineRow {
                        payslip_id: slip_id.clone(),
                        line_no: i32::try_from(i + 1).unwrap_or(i32::MAX),
                        component_id: components[l.component].id.clone(),
                        kind: components[l.component].kind.clone(),
                        quantity: l
                            .quantity
                            .map(|q| Qty::new(q.round_dp(6)).and_then(|q| q.to_scaled()))
                            .transpose()?,
                        rate: l
                            .rate
                            .map(|r| Price::new(r.round_dp(6)).and_then(|r| r.to_scaled()))
                            .transpose()?,
                        base: l.base.map(scaled).transpose()?,
                        amount: scaled(l.amount)?,
                        note: l.note.clone(),
                        corrects: corrects[i].clone(),
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            let row = PayslipRow {
                id: slip_id,
                company_id: company.clone(),
                run_id: run.id.clone(),
                employee_id: e.id.clone(),
                department_id: e.department_id.clone(),
                days_employed: days,
                gross: scaled(slip.gross)?,
                deductions: scaled(slip.deductions)?,
                employer: scaled(slip.employer)?,
                net: scaled(slip.net)?,
                payment_id: None,
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
        audit::record(conn, actor, RUNS, &run.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Saves a change to the run as its next version; 409 when another change came first.
fn save(conn: &mut DbConnection, run: &mut PayRunRow) -> Result<(), AppError> {
    let expected = run.version;
    run.version += 1;
    run.updated_at = now();
    if !repo::update_run(conn, run, expected)? {
        return Err(AppError::VersionMismatch {
            current: expected + 1,
        });
    }
    Ok(())
}

/// Moves the run from `from` to `to` by a guarded update; else 409 with its state.
fn advance(
    conn: &mut DbConnection,
    run: &mut PayRunRow,
    action: &'static str,
    from: PayRunStatus,
    to: PayRunStatus,
) -> Result<(), AppError> {
    if run.status != enum_to_db(&from) {
        return Err(AppError::InvalidState {
            entity: "pay run",
            action,
            current: run.status.clone(),
        });
    }
    let expected = run.version;
    run.status = enum_to_db(&to);
    run.version += 1;
    run.updated_at = now();
    if !repo::update_run(conn, run, expected)? {
        let current = repo::find_run(conn, &run.company_id, &run.id)?
            .map_or_else(|| "gone".into(), |r| r.status);
        return Err(AppError::InvalidState {
            entity: "pay run",
            action,
            current,
        });
    }
    Ok(())
}

pub fn approve_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
) -> Result<PayRunResponse, AppError> {
    actor.require(APPROVE)?;
    write_tx(conn, |conn| {
        let mut run = load_run(conn, actor, &id.to_db())?;
        let before = run_response(conn, &run)?;
        run.approved_by = Some(actor.user_id.to_db());
        run.approved_at = Some(now());
        advance(
            conn,
            &mut run,
            "approve",
            PayRunStatus::Draft,
            PayRunStatus::Approved,
        )?;
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, &run.id, &before, &after)?;
        Ok(after)
    })
}

/// Posts an approved run in one entry of the payroll journal on the month's last day:
/// earnings and employer contributions to their expense accounts by the department's cost
/// center, deductions and contributions to their liabilities, the net pay to the payable
/// account by employee.
pub fn post_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
) -> Result<PayRunResponse, AppError> {
    actor.require(APPROVE)?;
    write_tx(conn, |conn| {
        let mut run = load_run(conn, actor, &id.to_db())?;
        let before = run_response(conn, &run)?;
        advance(
            conn,
            &mut run,
            "post",
            PayRunStatus::Approved,
            PayRunStatus::Posted,
        )?;
        let components = components_by_id(conn, &run.company_id)?;
        let slips = repo::slips_of_run(conn, &run.id)?;
        let ids: Vec<String> = slips.iter().map(|s| s.0.id.clone()).collect();
        let lines = repo::lines_of(conn, &ids)?;
        let mut lines_by_slip: HashMap<&str, Vec<&PayslipLineRow>> = HashMap::new();
        for l in &lines {
            lines_by_slip.entry(&l.payslip_id).or_default().push(l);
        }
        let branch = BranchId::from_db(&run.branch_id)?;
        let payable = AccountId::from_db(&run.payable_account_id)?;
        let mut centers: HashMap<String, Option<String>> = HashMap::new();
        let mut entry = EntryBuilder::new();
        for (slip, _, _, partner) in &slips {
            if !centers.contains_key(&slip.department_id) {
                let cc = department::repo::find(conn, &run.company_id, &slip.department_id)?
                    .and_then(|d| d.cost_center);
                centers.insert(slip.department_id.clone(), cc);
            }
            let expense_dims = Dimensions {
                branch_id: Some(branch),
                cost_center: centers.get(&slip.department_id).cloned().flatten(),
                ..Default::default()
            };
            let plain = Dimensions {
                branch_id: Some(branch),
                ..Default::default()
            };
            for l in lines_by_slip.get(slip.id.as_str()).into_iter().flatten() {
                let c = components.get(&l.component_id).ok_or_else(|| {
                    AppError::Internal("payslip line without its component".into())
                })?;
                let account =
                    |id: &Option<String>| -> Result<AccountId, AppError> {
                        AccountId::from_db(id.as_deref().ok_or_else(|| {
                            AppError::Internal(format!("{} has no account", c.code))
                        })?)
                    };
                match l.kind.as_str() {
                    "earning" => {
                        entry.add(
                            account(&c.expense_account_id)?,
                            expense_dims.clone(),
                            l.amount,
                        );
                    }
                    "deduction" => {
                        entry.add(account(&c.liability_account_id)?, plain.clone(), -l.amount);
                    }
                    _ => {
                        entry.add(
                            account(&c.expense_account_id)?,
                            expense_dims.clone(),
                            l.amount,
                        );
                        entry.add(account(&c.liability_account_id)?, plain.clone(), -l.amount);
                    }
                }
            }
            let owed = Dimensions {
                branch_id: Some(branch),
                partner_id: Some(PartnerId::from_db(partner)?),
                ..Default::default()
            };
            entry.add(payable, owed, -slip.net);
        }
        let (_, last) = month_bounds(run.year, run.month)
            .ok_or_else(|| AppError::Internal("bad month".into()))?;
        if !entry.is_empty() {
            let posted = entry.post(
                conn,
                actor,
                JournalKind::Payroll,
                last,
                format!("Payroll {}-{:02}", run.year, run.month),
                ("hr_pay_run", &run.id),
            )?;
            run.entry_id = Some(posted.id.to_db());
            save(conn, &mut run)?;
        }
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, &run.id, &before, &after)?;
        Ok(after)
    })
}

/// The reference of an employee's transfer, in the bank file and on its payment, by which
/// the bank reconciliation finds the payment for the statement's line.
fn transfer_reference(run: &PayRunRow, employee_number: &str) -> String {
    format!("Salary {}-{:02} {employee_number}", run.year, run.month)
}

/// Pays a posted run out: the net pay of each payslip becomes a payment of finance from the
/// bank account to the employee, settling what the run owes them on its payable account and
/// carrying the bank file's reference, so each transfer on the bank's statement is matched to
/// its payment. Once only (409 `pay_run_paid`).
pub fn pay_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
    req: PayOutRequest,
) -> Result<PayRunResponse, AppError> {
    actor.require(APPROVE)?;
    write_tx(conn, |conn| {
        let mut run = load_run(conn, actor, &id.to_db())?;
        if run.status != enum_to_db(&PayRunStatus::Posted) {
            return Err(AppError::InvalidState {
                entity: "pay run",
                action: "pay out",
                current: run.status,
            });
        }
        if let Some(day) = run.paid_on {
            return Err(AppError::conflict(
                "pay_run_paid",
                format!("the pay run was paid out on {day}"),
            ));
        }
        let before = run_response(conn, &run)?;
        // Each payment carries its payslip's id, so the payslips are marked paid in one
        // statement.
        let mut payments = Vec::new();
        for (slip, _, number, partner) in repo::slips_of_run(conn, &run.id)? {
            if slip.net == 0 {
                continue;
            }
            payments.push(BatchPayment {
                id: PaymentId::from_db(&slip.id)?,
                partner_id: PartnerId::from_db(&partner)?,
                amount: money(slip.net),
                reference: transfer_reference(&run, &number),
            });
        }
        erp_finance::payment::service::record_batch(
            conn,
            actor,
            PaymentBatch {
                kind: PaymentKind::SupplierPayment,
                branch_id: Some(BranchId::from_db(&run.branch_id)?),
                account_id: req.account_id,
                settles: AccountId::from_db(&run.payable_account_id)?,
                payment_date: req.payment_date,
                payments,
            },
        )?;
        repo::mark_paid(conn, &run.id)?;
        run.paid_on = Some(req.payment_date);
        save(conn, &mut run)?;
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, &run.id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_run(conn: &mut DbConnection, actor: &Actor, id: PayRunId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let run = load_run(conn, actor, &id.to_db())?;
        if run.status == "posted" {
            return Err(AppError::InvalidState {
                entity: "pay run",
                action: "delete",
                current: run.status,
            });
        }
        let before = run_response(conn, &run)?;
        repo::delete_run(conn, &run.id)?;
        audit::record(conn, actor, RUNS, &run.id, Change::Deleted(&before))
    })
}

pub fn get_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayRunId,
) -> Result<PayRunResponse, AppError> {
    actor.require(READ)?;
    let run = load_run(conn, actor, &id.to_db())?;
    run_response(conn, &run)
}

pub fn list_runs(
    conn: &mut DbConnection,
    actor: &Actor,
    q: PayRunQuery,
) -> Result<PayRunList, AppError> {
    actor.require(READ)?;
    let branches = scope::branch_filter(actor);
    let rows = repo::list_runs(conn, &actor.company_id.to_db(), branches.as_deref(), q.year)?;
    Ok(PayRunList {
        items: rows
            .iter()
            .map(|r| run_response(conn, r))
            .collect::<Result<_, _>>()?,
    })
}

/// The company's pay components by id.
fn components_by_id(
    conn: &mut DbConnection,
    company_id: &str,
) -> Result<HashMap<String, ComponentRow>, AppError> {
    Ok(repo::components(conn, company_id)?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect())
}

fn slip_response(
    conn: &mut DbConnection,
    (s, name, number, _): &repo::NamedSlip,
    run: &PayRunRow,
    components: &HashMap<String, ComponentRow>,
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
        id: PayslipId::from_db(&s.id)?,
        run_id: PayRunId::from_db(&s.run_id)?,
        year: run.year,
        month: run.month,
        status: enum_from_db(&run.status)?,
        currency: run.currency.clone(),
        employee_id: EmployeeId::from_db(&s.employee_id)?,
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
    let company = actor.company_id.to_db();
    let named =
        repo::find_slip(conn, &company, &id.to_db())?.ok_or(AppError::NotFound("payslip"))?;
    let run =
        repo::find_run(conn, &company, &named.0.run_id)?.ok_or(AppError::NotFound("payslip"))?;
    let hr = actor.can(READ) && scope::sees(actor, &run.branch_id)?;
    if !hr {
        let (e, _) = crate::employee::repo::find(conn, &company, &named.0.employee_id)?
            .ok_or(AppError::NotFound("payslip"))?;
        let mine = actor.can(SELF) && is_self(actor, &e) && run.status != "draft";
        if !mine {
            if !actor.can(READ) && !actor.can(SELF) {
                actor.require(READ)?;
            }
            return Err(AppError::NotFound("payslip"));
        }
    }
    let components = components_by_id(conn, &company)?;
    slip_response(conn, &named, &run, &components)
}

/// The caller's own payslips of approved and posted runs, the latest first.
pub fn my_payslips(conn: &mut DbConnection, actor: &Actor) -> Result<PayslipList, AppError> {
    let (e, _) = own(conn, actor)?;
    let company = actor.company_id.to_db();
    let components = components_by_id(conn, &company)?;
    let mut items = Vec::new();
    for (slip, _, _, status) in repo::slips_of_employee(conn, &e.id)? {
        if status == "draft" {
            continue;
        }
        let named =
            repo::find_slip(conn, &company, &slip.id)?.ok_or(AppError::NotFound("payslip"))?;
        let run =
            repo::find_run(conn, &company, &slip.run_id)?.ok_or(AppError::NotFound("payslip"))?;
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
    actor.require(crate::contract::service::READ)?;
    let run = load_run(conn, actor, &id.to_db())?;
    if run.status == "draft" {
        return Err(AppError::InvalidState {
            entity: "pay run",
            action: "pay out",
            current: run.status,
        });
    }
    let mut missing = Vec::new();
    let mut rows = Vec::new();
    let accounts: HashMap<String, Option<String>> = repo::bank_accounts_of_run(conn, &run.id)?
        .into_iter()
        .collect();
    for (slip, name, number, _) in repo::slips_of_run(conn, &run.id)? {
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
    let company = erp_core::org::company::repo::find(conn, &actor.company_id.to_db())?
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
    let issuer = erp_core::org::company::service::letterhead(conn, &actor.company_id.to_db())?;
    Ok(super::print::sheet(&slip, issuer))
}
