//! One employee's payslip in a run: their month computed by the engine, corrections of
//! earlier months paid with it, and the rows that keep both.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::{Price, Qty};
use rust_decimal::Decimal;

use super::component::scaled;
use super::engine::{self, Kind};
use super::facts::Facts;
use super::model::{PayRunRow, PayslipLineRow, PayslipRow};
use super::month::{corrections, month_of, RunSetup};
use super::repo;
use crate::employee::model::EmployeeRow;
use crate::ids::PayslipId;

/// The payslip of `e` in `run` with its lines; None when they were not employed under a
/// contract in the month. 422 on `branch_id` when their net pay would be negative.
pub(super) fn payslip_of(
    conn: &mut DbConnection,
    run: &PayRunRow,
    e: &EmployeeRow,
    (facts, settled): (&Facts, &[repo::Settled]),
    setup: &RunSetup,
) -> Result<Option<(PayslipRow, Vec<PayslipLineRow>)>, AppError> {
    let (components, engine_components) = (setup.components, setup.engine_components);
    let (month, days) = month_of(facts, e, setup)?;
    if month.spans.is_empty() {
        return Ok(None);
    }
    let mut slip = engine::compute(engine_components, &month);
    let mut corrects = vec![None; slip.lines.len()];
    for (i, amount, label) in corrections(conn, e, facts.contracts(e), settled, setup)? {
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
    let slip_id = PayslipId::new();
    let lines = slip
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(PayslipLineRow {
                payslip_id: slip_id,
                line_no: i32::try_from(i + 1).unwrap_or(i32::MAX),
                component_id: components[l.component].id,
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
        company_id: run.company_id,
        run_id: run.id,
        employee_id: e.id,
        department_id: e.department_id,
        days_employed: days,
        gross: scaled(slip.gross)?,
        deductions: scaled(slip.deductions)?,
        employer: scaled(slip.employer)?,
        net: scaled(slip.net)?,
        payment_id: None,
    };
    Ok(Some((row, lines)))
}
