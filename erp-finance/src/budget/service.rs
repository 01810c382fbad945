//! Budgets: drafted with their lines, approved (then fixed), and compared with the ledger.

use std::collections::{BTreeSet, HashMap};

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Money;
use erp_core::org::branch;
use erp_core::org::branch::model::BranchKey;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{BudgetLineRow, BudgetRow};
use super::repo;
use crate::account;
use crate::account::dto::{AccountType, NormalSide};
use crate::ids::AccountId;
use crate::ids::BudgetId;
use crate::ids::PeriodId;
use crate::period;
use crate::report;

const ENTITY: &str = "fin_budget";
pub const WRITE: &str = "finance.budget.write";
pub const APPROVE: &str = "finance.budget.approve";

fn to_response(conn: &mut DbConnection, row: &BudgetRow) -> Result<BudgetResponse, AppError> {
    let periods: HashMap<PeriodId, i32> =
        period::repo::list_year(conn, row.company_id, row.fiscal_year)?
            .into_iter()
            .map(|p| (p.id, p.number))
            .collect();
    let lines = repo::lines_of(conn, row.id)?;
    let total: i64 = lines.iter().map(|l| l.amount).sum();
    Ok(BudgetResponse {
        id: row.id,
        name: row.name.clone(),
        fiscal_year: row.fiscal_year,
        status: row.status,
        lines: lines
            .iter()
            .map(|l| {
                Ok(BudgetLineInput {
                    account_id: l.account_id,
                    period: periods.get(&l.period_id).copied().unwrap_or(0),
                    branch_id: l.branch_id.0,
                    amount: Money::from_scaled(l.amount),
                })
            })
            .collect::<Result<_, AppError>>()?,
        total: Money::from_scaled(total),
        derived_from_id: row.derived_from_id,
        superseded_by_id: row.superseded_by_id,
        in_force: row.status == BudgetStatus::Approved && row.superseded_by_id.is_none(),
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub fn create_budget(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateBudgetRequest,
) -> Result<BudgetResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        v.text("name", &req.name, 200);
        let periods: HashMap<i32, PeriodId> =
            period::repo::list_year(conn, company, req.fiscal_year)?
                .into_iter()
                .map(|p| (p.number, p.id))
                .collect();
        if periods.is_empty() {
            v.add("fiscal_year", "no such fiscal year; open it first");
        }
        let ids: Vec<AccountId> = req.lines.iter().map(|l| l.account_id).collect();
        let accounts = account::repo::find_many(conn, company, &ids)?;
        let id = req.id.unwrap_or_default();
        let mut seen = BTreeSet::new();
        let mut lines = Vec::new();
        for (i, l) in req.lines.iter().enumerate() {
            let f = |n: &str| format!("lines[{i}].{n}");
            if !accounts.iter().any(|a| a.id == l.account_id) {
                v.add(f("account_id"), "no such account in the company");
            }
            let period = periods.get(&l.period);
            if period.is_none() && !periods.is_empty() {
                v.add(f("period"), "must be 1 to 12, a period of the fiscal year");
            }
            if let Some(b) = l.branch_id {
                if !branch::repo::exists_in_company(conn, b, company)? {
                    v.add(f("branch_id"), "no such branch in the company");
                }
            }
            let amount = l.amount.to_scaled().unwrap_or(0);
            let branch_id = BranchKey(l.branch_id);
            if let Some(p) = period {
                if !seen.insert((l.account_id, *p, branch_id)) {
                    v.add(
                        f("period"),
                        "this account, period and branch is planned twice",
                    );
                }
                lines.push(BudgetLineRow {
                    budget_id: id,
                    account_id: l.account_id,
                    period_id: *p,
                    branch_id,
                    amount,
                });
            }
        }
        v.finish()?;
        let row = draft(id, company, &req.name, req.fiscal_year, None);
        insert_draft(conn, actor, &row, &lines)
    })
}

/// A new draft budget's row.
fn draft(
    id: BudgetId,
    company: CompanyId,
    name: &str,
    fiscal_year: i32,
    derived_from_id: Option<BudgetId>,
) -> BudgetRow {
    let at = now();
    BudgetRow {
        id,
        company_id: company,
        name: name.trim().to_string(),
        fiscal_year,
        status: BudgetStatus::Draft,
        version: 1,
        created_at: at,
        updated_at: at,
        derived_from_id,
        superseded_by_id: None,
    }
}

/// Stores a new draft with its lines (409 `duplicate_name` when its name is taken), audited.
fn insert_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &BudgetRow,
    lines: &[BudgetLineRow],
) -> Result<BudgetResponse, AppError> {
    if repo::name_taken(conn, row.company_id, &row.name)? {
        return Err(AppError::conflict(
            "duplicate_name",
            format!("a budget named '{}' exists", row.name),
        ));
    }
    repo::insert(conn, row, lines)?;
    let out = to_response(conn, row)?;
    audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
    Ok(out)
}

pub fn get_budget(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BudgetId,
) -> Result<BudgetResponse, AppError> {
    actor.require(report::service::READ)?;
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("budget"))?;
    to_response(conn, &row)
}

pub fn list_budgets(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<BudgetPage, AppError> {
    actor.require(report::service::READ)?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let items = rows
        .iter()
        .map(|r| to_response(conn, r))
        .collect::<Result<_, _>>()?;
    Ok(BudgetPage { items, next_cursor })
}

/// Derives a draft version from a budget, its lines changed by a percentage.
pub fn derive_budget(
    conn: &mut DbConnection,
    actor: &Actor,
    from: BudgetId,
    req: DeriveBudgetRequest,
) -> Result<BudgetResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let base = repo::find(conn, company, from)?.ok_or(AppError::NotFound("budget"))?;
        let adjust = req.adjust_percent.unwrap_or(Decimal::ZERO);
        let mut v = Validator::new();
        v.text("name", &req.name, 200);
        v.check(
            (Decimal::from(-100)..=Decimal::from(1000)).contains(&adjust),
            "adjust_percent",
            "must be between -100 and 1000",
        );
        v.finish()?;
        let currency = crate::entry::service::company_currency(conn, company)?;
        let id = req.id.unwrap_or_default();
        let factor = Decimal::ONE + adjust / Decimal::ONE_HUNDRED;
        let lines = repo::lines_of(conn, base.id)?
            .into_iter()
            .map(|l| {
                let amount = crate::currency::round_to_minor_unit(
                    Decimal::new(l.amount, 4) * factor,
                    &currency,
                );
                Ok(BudgetLineRow {
                    budget_id: id,
                    amount: Money::new(amount)
                        .and_then(Money::to_scaled)
                        .map_err(|_| AppError::field("adjust_percent", "a line grows too large"))?,
                    ..l
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let row = draft(id, company, &req.name, base.fiscal_year, Some(base.id));
        insert_draft(conn, actor, &row, &lines)
    })
}

/// Approves a draft budget and puts it in force for its year, superseding the version in
/// force before; approved budgets do not change (a new version is derived).
pub fn approve_budget(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BudgetId,
) -> Result<BudgetResponse, AppError> {
    actor.require(APPROVE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("budget"))?;
        // In force from now: the version in force for the year before is superseded first
        // (one version is in force per year, a unique index says so).
        repo::supersede(conn, company, row.fiscal_year, row.id)?;
        if !repo::approve(conn, row.id, row.version)? {
            return Err(AppError::InvalidState {
                entity: "budget",
                action: "approve",
                current: row.status.to_string(),
            });
        }
        let row = repo::find(conn, company, row.id)?.ok_or(AppError::NotFound("budget"))?;
        let out = to_response(conn, &row)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("approve", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Planned against posted over whole periods, per account on its normal side: the budget's
/// accounts and every revenue and expense account that moved.
pub fn budget_report(
    conn: &mut DbConnection,
    actor: &Actor,
    q: BudgetReportQuery,
) -> Result<BudgetReport, AppError> {
    actor.require(report::service::READ)?;
    let company = actor.company_id;
    let budget = repo::find(conn, company, q.budget_id)?.ok_or(AppError::NotFound("budget"))?;
    let branches = report::service::branch_filter(conn, actor, q.branch_id)?;
    let periods = report::service::periods_between(conn, company, q.from, q.to)?;
    let in_branches = |b: BranchKey| {
        branches
            .as_ref()
            .is_none_or(|bs| b.0.is_some_and(|b| bs.contains(&b)))
    };
    let mut planned: HashMap<AccountId, i64> = HashMap::new();
    for l in repo::lines_of(conn, budget.id)? {
        if periods.contains(&l.period_id) && in_branches(l.branch_id) {
            *planned.entry(l.account_id).or_default() += l.amount;
        }
    }
    let mut posted: HashMap<AccountId, i64> = HashMap::new();
    for (acct, _, _, d, c) in report::repo::balances(conn, &periods, branches.as_deref())? {
        *posted.entry(acct).or_default() += d - c;
    }
    let mut lines = Vec::new();
    for a in account::repo::all_of(conn, company)? {
        let t = a.account_type;
        let budget = planned.get(&a.id).copied();
        let debit_positive = posted.get(&a.id).copied().unwrap_or(0);
        let moved = debit_positive != 0 && matches!(t, AccountType::Revenue | AccountType::Expense);
        if budget.is_none() && !moved {
            continue;
        }
        let actual = match t.normal_side() {
            NormalSide::Debit => debit_positive,
            NormalSide::Credit => -debit_positive,
        };
        let budget = budget.unwrap_or(0);
        let percent = (budget != 0).then(|| {
            (Decimal::from(actual) * Decimal::from(100) / Decimal::from(budget)).round_dp(2)
        });
        lines.push(BudgetReportLine {
            account_id: a.id,
            code: a.code,
            name: a.name,
            budget: Money::from_scaled(budget),
            actual: Money::from_scaled(actual),
            variance: Money::from_scaled(actual - budget),
            percent,
        });
    }
    Ok(BudgetReport {
        budget_id: q.budget_id,
        from: q.from,
        to: q.to,
        lines,
    })
}
