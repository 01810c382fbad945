//! Booking hours and listing them. The owner of a target checks it (and takes the hours of an
//! operation) through `resolve`, inside the same transaction.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::PartnerId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::TimesheetRow;
use super::repo;
use crate::attendance::service::{READ, WRITE};
use crate::employee::model::EmployeeRow;
use crate::employee::service::acting_for;
use crate::ids::TimesheetId;
use crate::{employee, team};

const ENTITY: &str = "hr_timesheets";

fn to_response(row: &TimesheetRow, name: &str) -> Result<TimesheetEntry, AppError> {
    let target: TimeTarget = enum_from_db(&row.target)?;
    let reference = row.reference_id.as_deref().map(uuid_from_db).transpose()?;
    Ok(TimesheetEntry {
        id: row.id,
        employee_id: row.employee_id,
        employee_name: name.to_string(),
        work_date: row.work_date,
        hours: Qty::from_scaled(row.hours),
        target,
        project: row.project.clone(),
        customer_id: row.partner_id,
        deal_id: reference.filter(|_| target == TimeTarget::Deal),
        production_order_id: reference.filter(|_| target == TimeTarget::Operation),
        operation_seq: row.operation_seq,
        note: row.note.clone(),
        created_at: row.created_at.and_utc(),
    })
}

pub fn book(
    conn: &mut DbConnection,
    actor: &Actor,
    req: BookTimeRequest,
    resolve: impl FnOnce(
        &mut DbConnection,
        &BookTimeRequest,
        &EmployeeRow,
    ) -> Result<Resolved, AppError>,
) -> Result<TimesheetEntry, AppError> {
    write_tx(conn, |conn| {
        let (e, name) = acting_for(conn, actor, req.employee_id, WRITE)?;
        employee::repo::hold(conn, e.id)?;
        let mut v = Validator::new();
        let hours = req.hours.value();
        v.check(
            hours > Decimal::ZERO && hours <= Decimal::from(24),
            "hours",
            "must be over 0 and at most 24",
        );
        v.check(
            e.employed_on(req.work_date),
            "work_date",
            "the employee was not employed on that day",
        );
        v.check(
            req.work_date <= crate::wire::today(),
            "work_date",
            "hours are booked for days worked, not ahead",
        );
        v.opt_text("note", req.note.as_deref(), 500);
        let needs = |field: &str, given: bool, v: &mut Validator| {
            if !given {
                v.add(field, "is required for this target");
            }
        };
        match req.target {
            TimeTarget::Project => {
                needs("project", req.project.is_some(), &mut v);
                if let Some(p) = &req.project {
                    v.code("project", p, 32);
                }
            }
            TimeTarget::Customer => needs("customer_id", req.customer_id.is_some(), &mut v),
            TimeTarget::Deal => needs("deal_id", req.deal_id.is_some(), &mut v),
            TimeTarget::Operation => {
                needs(
                    "production_order_id",
                    req.production_order_id.is_some(),
                    &mut v,
                );
                needs("operation_seq", req.operation_seq.is_some(), &mut v);
            }
        }
        v.finish()?;
        let booked = repo::hours_on(conn, e.id, req.work_date)?;
        let scaled = req.hours.to_scaled()?;
        if booked + scaled > 24_000_000 {
            return Err(AppError::field(
                "hours",
                format!(
                    "{} hours are booked on {} already; a day has 24",
                    Qty::from_scaled(booked),
                    req.work_date
                ),
            ));
        }
        let resolved = resolve(conn, &req, &e)?;
        let row = TimesheetRow {
            id: TimesheetId::new(),
            company_id: e.company_id,
            employee_id: e.id,
            work_date: req.work_date,
            hours: scaled,
            target: enum_to_db(&req.target),
            project: req.project.as_deref().map(|p| p.trim().to_string()),
            partner_id: PartnerId::from_db_opt(resolved.partner_id.as_deref())?,
            reference_id: resolved.reference_id,
            operation_seq: req
                .operation_seq
                .filter(|_| req.target == TimeTarget::Operation),
            note: req.note.as_deref().map(|n| n.trim().to_string()),
            created_by: actor.user_id,
            created_at: now(),
        };
        repo::insert(conn, &row)?;
        let out = to_response(&row, &name)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: TimesheetQuery,
) -> Result<TimesheetPage, AppError> {
    let reach = team::reach(conn, actor, READ)?;
    let page = params.validate()?;
    let mut v = Validator::new();
    v.check(q.to >= q.from, "to", "must be on or after from");
    v.check(
        (q.to - q.from).num_days() <= 92,
        "to",
        "at most 92 days after from",
    );
    v.finish()?;
    employee::service::check_filter(conn, actor, q.employee_id)?;
    let employee = q.employee_id;
    let rows = repo::list(
        conn,
        actor.company_id,
        &reach,
        employee,
        (q.from, q.to),
        &page,
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.id);
    Ok(TimesheetPage {
        items: rows
            .iter()
            .map(|(r, n)| to_response(r, n))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Hours booked on the customer (directly or on its deals), for the CRM timeline.
pub fn of_customer(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<Vec<TimesheetEntry>, AppError> {
    repo::of_customer(conn, PartnerId::from_db(partner_id)?)?
        .iter()
        .map(|(r, n)| to_response(r, n))
        .collect()
}
