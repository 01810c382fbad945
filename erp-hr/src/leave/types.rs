//! Leave types: what can be taken, with the rule that accrues it.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};

use super::dto::*;
use super::model::LeaveTypeRow;
use super::repo::{self};
use super::service::*;
use crate::calendar::{self, service::SETUP};
use crate::error::HrError;
use crate::ids::LeaveTypeId;

pub(super) fn check_rule(v: &mut Validator, row: &LeaveTypeRow) {
    v.check(
        (0..=366_000_000).contains(&row.days_per_year),
        "days_per_year",
        "must be between 0 and 366",
    );
    v.check(
        (0..=366_000_000).contains(&row.carry_over_cap),
        "carry_over_cap",
        "must be between 0 and 366",
    );
    if let Some(m) = row.carry_over_expires_month {
        v.check(
            (1..=12).contains(&m),
            "carry_over_expires_month",
            "must be 1 to 12",
        );
    }
}

pub fn create_type(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLeaveTypeRequest,
) -> Result<LeaveTypeResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    let at = now();
    let row = LeaveTypeRow {
        id: req.id.unwrap_or_default(),
        company_id: company,
        code: code.clone(),
        name: req.name.trim().to_string(),
        paid: req.paid,
        days_per_year: req.days_per_year.to_scaled()?,
        carry_over_cap: req.carry_over_cap.map_or(Ok(0), |c| c.to_scaled())?,
        carry_over_expires_month: req.carry_over_expires_month,
        allow_negative: req.allow_negative,
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let mut v = Validator::new();
    v.code("code", &code, 32);
    v.text("name", &req.name, 200);
    check_rule(&mut v, &row);
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::type_code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "leave type",
                code: code.clone(),
            }
            .into());
        }
        repo::insert_type(conn, &row)?;
        let out = type_response(&row)?;
        audit::record(conn, actor, TYPES, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_type(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveTypeId,
    expected_version: i64,
    req: UpdateLeaveTypeRequest,
) -> Result<LeaveTypeResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row =
            repo::find_type(conn, company, id)?.ok_or(AppError::NotFound("leave type"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = type_response(&row)?;
        let mut v = Validator::new();
        if let Some(n) = &req.name {
            v.text("name", n, 200);
            row.name = n.trim().to_string();
        }
        if let Some(p) = req.paid {
            row.paid = p;
        }
        if let Some(d) = req.days_per_year {
            row.days_per_year = d.to_scaled()?;
        }
        if let Some(c) = req.carry_over_cap {
            row.carry_over_cap = c.to_scaled()?;
        }
        if let Some(m) = req.carry_over_expires_month {
            row.carry_over_expires_month = m;
        }
        if let Some(a) = req.allow_negative {
            row.allow_negative = a;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        check_rule(&mut v, &row);
        v.finish()?;
        row.version += 1;
        row.updated_at = now();
        if !repo::update_type(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = type_response(&row)?;
        audit::updated(conn, actor, TYPES, row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn list_types(conn: &mut DbConnection, actor: &Actor) -> Result<LeaveTypeList, AppError> {
    if !actor.can(READ) {
        calendar::service::require_read(actor)?;
    }
    Ok(LeaveTypeList {
        items: repo::types(conn, actor.company_id)?
            .iter()
            .map(type_response)
            .collect::<Result<_, _>>()?,
    })
}
