//! Tax rates: create, change (name, accounts, active), list.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Percent;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::calc::Rate;
use super::dto::*;
use super::model::TaxRow;
use super::repo;
use crate::account;
use crate::account::service::{READ, WRITE};
use crate::ids::{AccountId, TaxId};

const ENTITY: &str = "fin_tax";

pub fn to_response(row: &TaxRow) -> Result<TaxResponse, AppError> {
    Ok(TaxResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        kind: enum_from_db(&row.kind)?,
        rate: Percent::from_scaled(row.rate),
        price_included: row.price_included,
        sales_account_id: row.sales_account_id,
        purchase_account_id: row.purchase_account_id,
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// The rate of a stored tax, for the arithmetic.
pub fn rate_of(row: &TaxRow, compound: bool) -> Rate {
    Rate {
        percent: Percent::from_scaled(row.rate).value(),
        included: row.price_included,
        withholding: row.kind == enum_to_db(&TaxKind::Withholding),
        compound,
    }
}

fn check_account(
    conn: &mut DbConnection,
    v: &mut Validator,
    company: CompanyId,
    field: &str,
    id: AccountId,
) -> Result<(), AppError> {
    match account::repo::find(conn, company, id)? {
        None => v.add(field, "no such account in the company"),
        Some(a) if !a.active => v.add(field, "the account is inactive"),
        Some(_) => {}
    }
    Ok(())
}

pub fn create_tax(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateTaxRequest,
) -> Result<TaxResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let code = req.code.trim().to_string();
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("name", &req.name, 200);
        let rate = req.rate.value();
        v.check(
            rate >= Decimal::ZERO && rate <= Decimal::ONE_HUNDRED,
            "rate",
            "must be between 0 and 100",
        );
        v.check(
            !(req.price_included && req.kind == TaxKind::Withholding),
            "price_included",
            "withholding is never included in prices",
        );
        check_account(
            conn,
            &mut v,
            company,
            "sales_account_id",
            req.sales_account_id,
        )?;
        check_account(
            conn,
            &mut v,
            company,
            "purchase_account_id",
            req.purchase_account_id,
        )?;
        v.finish()?;
        if repo::code_taken(conn, company, &code)? {
            return Err(AppError::conflict(
                "duplicate_code",
                format!("the tax code '{code}' is taken"),
            ));
        }
        let at = now();
        let row = TaxRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
            code,
            name: req.name.trim().to_string(),
            kind: enum_to_db(&req.kind),
            rate: req.rate.to_scaled()?,
            price_included: req.price_included,
            sales_account_id: req.sales_account_id,
            purchase_account_id: req.purchase_account_id,
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &row)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_tax(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TaxId,
    expected_version: i64,
    req: UpdateTaxRequest,
) -> Result<TaxResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("tax"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = to_response(&row)?;
        let mut v = Validator::new();
        if let Some(name) = &req.name {
            v.text("name", name, 200);
        }
        if let Some(a) = req.sales_account_id {
            check_account(conn, &mut v, company, "sales_account_id", a)?;
        }
        if let Some(a) = req.purchase_account_id {
            check_account(conn, &mut v, company, "purchase_account_id", a)?;
        }
        v.finish()?;
        if let Some(name) = &req.name {
            row.name = name.trim().to_string();
        }
        if let Some(a) = req.sales_account_id {
            row.sales_account_id = a;
        }
        if let Some(a) = req.purchase_account_id {
            row.purchase_account_id = a;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = to_response(&row)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

pub fn get_tax(conn: &mut DbConnection, actor: &Actor, id: TaxId) -> Result<TaxResponse, AppError> {
    actor.require(READ)?;
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("tax"))?;
    to_response(&row)
}

pub fn list_taxes(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<TaxPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(TaxPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
