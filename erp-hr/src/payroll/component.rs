//! Pay components: what a payslip is made of, with their brackets, rounding and accounts.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Percent};
use erp_finance::entry::service::company_currency;
use erp_finance::ids::AccountId;
use rust_decimal::Decimal;

use super::dto::*;
use super::engine::{Basis, Bracket, Component, Kind, Method, RoundMode, Rounding};
use super::model::ComponentRow;
use super::repo;

use super::service::*;

pub(super) fn money(scaled: i64) -> Money {
    Money::from_scaled(scaled)
}

pub(super) fn scaled(d: Decimal) -> Result<i64, AppError> {
    Ok(Money::new(d)?.to_scaled()?)
}

pub(super) fn brackets_of(row: &ComponentRow) -> Result<Vec<BracketDto>, AppError> {
    match &row.brackets {
        Some(text) => serde_json::from_str(text)
            .map_err(|_| AppError::Internal(format!("malformed brackets of {}", row.code))),
        None => Ok(Vec::new()),
    }
}

pub(super) fn component_response(row: &ComponentRow) -> Result<PayComponentResponse, AppError> {
    Ok(PayComponentResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        kind: enum_from_db(&row.kind)?,
        method: enum_from_db(&row.method)?,
        amount: row.amount.map(money),
        rate: row.rate.map(Percent::from_scaled),
        cap: row.cap.map(money),
        basis: row.basis.as_deref().map(enum_from_db).transpose()?,
        brackets: brackets_of(row)?,
        expense_account_id: row.expense_account_id,
        liability_account_id: row.liability_account_id,
        round_to: row.round_to.map(money),
        rounding: enum_from_db(&row.rounding)?,
        sequence: row.sequence,
        active: row.active,
    })
}

pub(super) fn check_account(
    conn: &mut DbConnection,
    v: &mut Validator,
    company: CompanyId,
    field: &str,
    id: Option<AccountId>,
    needed: bool,
) -> Result<(), AppError> {
    let known = match id {
        Some(a) => erp_finance::account::repo::find(conn, company, a)?.is_some(),
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
    let company = actor.company_id;
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
            let currency = company_currency(conn, company)?;
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
            company,
            "expense_account_id",
            req.expense_account_id,
            expense,
        )?;
        check_account(
            conn,
            &mut v,
            company,
            "liability_account_id",
            req.liability_account_id,
            liability,
        )?;
        v.finish()?;
        if repo::component_code_taken(conn, company, &code)? {
            return Err(crate::HrError::DuplicateCode {
                what: "pay component",
                code: code.clone(),
            }
            .into());
        }
        let row = ComponentRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
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
            expense_account_id: req.expense_account_id.filter(|_| expense),
            liability_account_id: req.liability_account_id.filter(|_| liability),
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
            row.id,
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
        items: repo::components(conn, actor.company_id)?
            .iter()
            .map(component_response)
            .collect::<Result<_, _>>()?,
    })
}

pub(super) fn engine_component(row: &ComponentRow) -> Result<Component, AppError> {
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
pub(super) fn rounding_of(row: &ComponentRow) -> Result<Option<Rounding>, AppError> {
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
