//! Reading and changing a company's finance settings; a company that never set them has the
//! defaults (document rounding, no write-off).

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Percent};
use rust_decimal::Decimal;

use super::dto::*;
use super::model::SettingsRow;
use super::repo;
use crate::account::service::{READ, WRITE};
use crate::currency::{fits_minor_unit, minor_unit};

/// The settings in force for a company.
pub struct Settings {
    pub tax_rounding: TaxRounding,
    /// Money ×10⁴.
    pub write_off_tolerance: i64,
    /// Percent ×10⁴.
    pub match_price_tolerance: i64,
    /// Percent ×10⁴.
    pub match_quantity_tolerance: i64,
    pub budget_control: BudgetControl,
    version: i64,
    updated_at: Option<chrono::NaiveDateTime>,
}

pub fn of_company(conn: &mut DbConnection, company_id: CompanyId) -> Result<Settings, AppError> {
    Ok(match repo::find(conn, company_id)? {
        Some(r) => Settings {
            tax_rounding: enum_from_db(&r.tax_rounding)?,
            write_off_tolerance: r.write_off_tolerance,
            match_price_tolerance: r.match_price_tolerance,
            match_quantity_tolerance: r.match_quantity_tolerance,
            budget_control: enum_from_db(&r.budget_control)?,
            version: r.version,
            updated_at: Some(r.updated_at),
        },
        None => Settings {
            tax_rounding: TaxRounding::Document,
            write_off_tolerance: 0,
            match_price_tolerance: 0,
            match_quantity_tolerance: 0,
            budget_control: BudgetControl::Off,
            version: 0,
            updated_at: None,
        },
    })
}

fn to_response(s: &Settings) -> FinanceSettingsResponse {
    FinanceSettingsResponse {
        tax_rounding: s.tax_rounding,
        write_off_tolerance: Money::from_scaled(s.write_off_tolerance),
        match_price_tolerance: Percent::from_scaled(s.match_price_tolerance),
        match_quantity_tolerance: Percent::from_scaled(s.match_quantity_tolerance),
        budget_control: s.budget_control,
        version: s.version,
        updated_at: s.updated_at.map(|t| t.and_utc()),
    }
}

pub fn get_settings(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<FinanceSettingsResponse, AppError> {
    actor.require(READ)?;
    Ok(to_response(&of_company(conn, actor.company_id)?))
}

pub fn update_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    req: UpdateFinanceSettingsRequest,
) -> Result<FinanceSettingsResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let currency = crate::entry::service::company_currency(conn, company)?;
        let mut v = Validator::new();
        if let Some(t) = req.write_off_tolerance {
            v.check(
                t.value() >= Decimal::ZERO,
                "write_off_tolerance",
                "must not be negative",
            );
            if !fits_minor_unit(t, &currency) {
                v.add(
                    "write_off_tolerance",
                    format!(
                        "has more than {} decimal places, finer than {currency}'s minor unit",
                        minor_unit(&currency)
                    ),
                );
            }
        }
        for (field, t) in [
            ("match_price_tolerance", req.match_price_tolerance),
            ("match_quantity_tolerance", req.match_quantity_tolerance),
        ] {
            if let Some(t) = t {
                v.check(
                    (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&t.value()),
                    field,
                    "must be between 0 and 100",
                );
            }
        }
        v.finish()?;
        let mut s = of_company(conn, company)?;
        let before = to_response(&s);
        if let Some(r) = req.tax_rounding {
            s.tax_rounding = r;
        }
        if let Some(t) = req.write_off_tolerance {
            s.write_off_tolerance = t.to_scaled()?;
        }
        if let Some(t) = req.match_price_tolerance {
            s.match_price_tolerance = t.to_scaled()?;
        }
        if let Some(t) = req.match_quantity_tolerance {
            s.match_quantity_tolerance = t.to_scaled()?;
        }
        if let Some(c) = req.budget_control {
            s.budget_control = c;
        }
        s.version += 1;
        let at = now();
        s.updated_at = Some(at);
        repo::save(
            conn,
            &SettingsRow {
                company_id: company,
                tax_rounding: enum_to_db(&s.tax_rounding),
                write_off_tolerance: s.write_off_tolerance,
                version: s.version,
                updated_at: at,
                match_price_tolerance: s.match_price_tolerance,
                match_quantity_tolerance: s.match_quantity_tolerance,
                budget_control: enum_to_db(&s.budget_control),
            },
        )?;
        let after = to_response(&s);
        audit::record(
            conn,
            actor,
            "fin_settings",
            company,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}
