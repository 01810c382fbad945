//! A pay run's life after it is computed: approved, posted to the ledger in one entry, paid
//! in one batch of payments.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use erp_core::audit::{self};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_finance::entry::builder::{Dimensions, EntryBuilder};
use erp_finance::ids::{AccountId, PaymentId};
use erp_finance::journal::dto::JournalKind;
use erp_finance::payment::dto::PaymentKind;
use erp_finance::payment::service::{BatchPayment, PaymentBatch};

use super::dto::*;
use super::model::{PayRunRow, PayslipLineRow};
use super::repo;
use crate::department;
use crate::ids::{DepartmentId, PayRunId, PayslipId};

use super::month::month_bounds;
use super::service::*;

/// Saves a change to the run as its next version; 409 when another change came first.
pub(super) fn save(conn: &mut DbConnection, run: &mut PayRunRow) -> Result<(), AppError> {
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
pub(super) fn advance(
    conn: &mut DbConnection,
    run: &mut PayRunRow,
    action: &'static str,
    from: PayRunStatus,
    to: PayRunStatus,
) -> Result<(), AppError> {
    if run.status != from {
        return Err(AppError::InvalidState {
            entity: "pay run",
            action,
            current: run.status.to_string(),
        });
    }
    let expected = run.version;
    run.status = to;
    run.version += 1;
    run.updated_at = now();
    if !repo::update_run(conn, run, expected)? {
        let current = repo::find_run(conn, run.company_id, run.id)?
            .map_or_else(|| "gone".into(), |r| r.status.to_string());
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
        let mut run = load_run(conn, actor, id)?;
        let before = run_response(conn, &run)?;
        run.approved_by = Some(actor.user_id);
        run.approved_at = Some(now());
        advance(
            conn,
            &mut run,
            "approve",
            PayRunStatus::Draft,
            PayRunStatus::Approved,
        )?;
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, run.id, &before, &after)?;
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
        let mut run = load_run(conn, actor, id)?;
        let before = run_response(conn, &run)?;
        advance(
            conn,
            &mut run,
            "post",
            PayRunStatus::Approved,
            PayRunStatus::Posted,
        )?;
        let components = components_by_id(conn, run.company_id)?;
        let slips = repo::slips_of_run(conn, run.id)?;
        let ids: Vec<_> = slips.iter().map(|s| s.0.id).collect();
        let lines = repo::lines_of(conn, &ids)?;
        let mut lines_by_slip: HashMap<PayslipId, Vec<&PayslipLineRow>> = HashMap::new();
        for l in &lines {
            lines_by_slip.entry(l.payslip_id).or_default().push(l);
        }
        let branch = run.branch_id;
        let payable = run.payable_account_id;
        let mut centers: HashMap<DepartmentId, Option<String>> = HashMap::new();
        let mut entry = EntryBuilder::new();
        for (slip, _, _, partner) in &slips {
            if let Entry::Vacant(slot) = centers.entry(slip.department_id) {
                slot.insert(
                    department::repo::find(conn, run.company_id, slip.department_id)?
                        .and_then(|d| d.cost_center),
                );
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
            for l in lines_by_slip.get(&slip.id).into_iter().flatten() {
                let c = components.get(&l.component_id).ok_or_else(|| {
                    AppError::Internal("payslip line without its component".into())
                })?;
                let account = |id: Option<AccountId>| -> Result<AccountId, AppError> {
                    id.ok_or_else(|| AppError::Internal(format!("{} has no account", c.code)))
                };
                match l.kind.as_str() {
                    "earning" => {
                        entry.add(
                            account(c.expense_account_id)?,
                            expense_dims.clone(),
                            l.amount,
                        );
                    }
                    "deduction" => {
                        entry.add(account(c.liability_account_id)?, plain.clone(), -l.amount);
                    }
                    _ => {
                        entry.add(
                            account(c.expense_account_id)?,
                            expense_dims.clone(),
                            l.amount,
                        );
                        entry.add(account(c.liability_account_id)?, plain.clone(), -l.amount);
                    }
                }
            }
            let owed = Dimensions {
                branch_id: Some(branch),
                partner_id: Some(*partner),
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
                ("hr_pay_run", &run.id.to_string()),
            )?;
            run.entry_id = Some(posted.id);
            save(conn, &mut run)?;
        }
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, run.id, &before, &after)?;
        Ok(after)
    })
}

/// The reference of an employee's transfer, in the bank file and on its payment, by which
/// the bank reconciliation finds the payment for the statement's line.
pub(super) fn transfer_reference(run: &PayRunRow, employee_number: &str) -> String {
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
        let mut run = load_run(conn, actor, id)?;
        if run.status != PayRunStatus::Posted {
            return Err(AppError::InvalidState {
                entity: "pay run",
                action: "pay out",
                current: run.status.to_string(),
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
        for (slip, _, number, partner) in repo::slips_of_run(conn, run.id)? {
            if slip.net == 0 {
                continue;
            }
            payments.push(BatchPayment {
                id: PaymentId::from(uuid::Uuid::from(slip.id)),
                partner_id: partner,
                amount: money(slip.net),
                reference: transfer_reference(&run, &number),
            });
        }
        erp_finance::payment::service::record_batch(
            conn,
            actor,
            PaymentBatch {
                kind: PaymentKind::SupplierPayment,
                branch_id: Some(run.branch_id),
                account_id: req.account_id,
                settles: run.payable_account_id,
                payment_date: req.payment_date,
                payments,
            },
        )?;
        repo::mark_paid(conn, run.id)?;
        run.paid_on = Some(req.payment_date);
        save(conn, &mut run)?;
        let after = run_response(conn, &run)?;
        audit::updated(conn, actor, RUNS, run.id, &before, &after)?;
        Ok(after)
    })
}
