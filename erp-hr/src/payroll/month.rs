//! An employee's month as the pay engine reads it: the contract's terms, the days and hours
//! worked, overtime and leave, and the corrections carried from earlier runs.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, Utc};
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::Qty;
use erp_finance::currency::minor_unit;
use rust_decimal::Decimal;

use super::engine::{self, Component, Month, PaySpan};
use super::facts::Facts;
use super::model::ComponentRow;
use super::repo;
use crate::attendance::daily::{self, OvertimeRule};
use crate::calendar::days::working_days;
use crate::employee::contract::dto::PayBasis;
use crate::employee::contract::model::ContractRow;
use crate::employee::model::EmployeeRow;
use crate::ids::PayStructureId;

use super::service::*;

pub(super) fn month_bounds(year: i32, month: i32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, 1)?;
    let last = first.checked_add_months(chrono::Months::new(1))? - Duration::days(1);
    Some((first, last))
}

/// What the month of `facts` holds for one employee: contract spans with the hours worked in
/// each, overtime by rule, unpaid leave days, working days.
pub(super) fn month_of(
    facts: &Facts,
    e: &EmployeeRow,
    setup: &RunSetup,
) -> Result<(Month, i32), AppError> {
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
            monthly: c.pay_basis == PayBasis::MonthlySalary,
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
pub(super) struct RunSetup<'a> {
    pub(super) components: &'a [ComponentRow],
    pub(super) engine_components: &'a [Component],
    pub(super) rules: &'a [OvertimeRule],
    pub(super) currency: &'a str,
    /// The components of each pay structure, by their index in `components`.
    pub(super) structures: HashMap<PayStructureId, HashSet<usize>>,
}

/// Corrections of earlier months for a change made after they were computed (a backdated
/// raise): each earlier month of the last twelve (`settled`), in an approved or posted run
/// computed before the employee's contracts last changed, is computed again; what differs
/// from what was paid for it (its own lines and earlier corrections) is paid now, component
/// by component.
pub(super) fn corrections(
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
        let facts = Facts::load(conn, e.company_id, &[e], bounds)?;
        let (data, _) = month_of(&facts, e, setup)?;
        let fresh = engine::compute(setup.engine_components, &data);
        let mut diff: BTreeMap<usize, Decimal> = BTreeMap::new();
        for l in &fresh.lines {
            *diff.entry(l.component).or_default() += l.amount;
        }
        for paid in repo::lines_paid_for(conn, e.id, slip.id, &label)? {
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
