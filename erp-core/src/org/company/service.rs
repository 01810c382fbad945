use super::dto::*;
use super::model::Company;
use super::repo;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::ids::CompanyId;
use crate::org::check_site;
use crate::pagination::ListParams;

const ENTITY: &str = "company";
const DEFAULT_BACKDATE_DAYS: i32 = 31;

fn check_backdate_days(v: &mut Validator, days: Option<i32>) {
    v.check(
        days.is_none_or(|d| (0..=3660).contains(&d)),
        "stock_backdate_days",
        "must be between 0 and 3660",
    );
}

pub fn to_response(c: &Company) -> Result<CompanyResponse, AppError> {
    Ok(CompanyResponse {
        id: c.id,
        code: c.code.clone(),
        name: c.name.clone(),
        currency: c.currency.clone(),
        time_zone: c.time_zone.clone(),
        address: c.address(),
        tax_id: c.tax_id.clone(),
        active: c.active,
        stock_backdate_days: c.stock_backdate_days,
        version: c.version,
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    })
}

/// System administrators (`org.company.create`) see every company; others their own.
fn visible(actor: &Actor, id: CompanyId) -> bool {
    actor.company_id == id || actor.can("org.company.create")
}

/// Makes the company row; used by the API and by first start.
pub fn new_company(id: CompanyId, req: &CreateCompanyRequest) -> Result<Company, AppError> {
    let mut v = Validator::new();
    v.code("code", &req.code, 32);
    check_site(
        &mut v,
        Some(&req.name),
        Some(&req.currency),
        Some(&req.time_zone),
        Some(&req.address),
    );
    v.opt_text("tax_id", req.tax_id.as_deref(), 50);
    check_backdate_days(&mut v, req.stock_backdate_days);
    v.finish()?;
    let at = now();
    let mut c = Company {
        id,
        code: req.code.clone(),
        name: req.name.trim().to_string(),
        currency: req.currency.clone(),
        time_zone: req.time_zone.clone(),
        address_line1: None,
        address_line2: None,
        city: None,
        region: None,
        postal_code: None,
        country: None,
        tax_id: req.tax_id.clone(),
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
        stock_backdate_days: req.stock_backdate_days.unwrap_or(DEFAULT_BACKDATE_DAYS),
    };
    c.set_address(req.address.clone());
    Ok(c)
}

pub fn create_company(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCompanyRequest,
) -> Result<CompanyResponse, AppError> {
    actor.require("org.company.create")?;
    let company = new_company(req.id.unwrap_or_default(), &req)?;
    write_tx(conn, |conn| {
        if repo::code_taken(conn, &company.code)? {
            return Err(AppError::conflict(
                "duplicate_code",
                format!("a company with code '{}' exists", company.code),
            ));
        }
        repo::insert(conn, &company)?;
        let out = to_response(&company)?;
        audit::record(conn, actor, ENTITY, company.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_company(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CompanyId,
) -> Result<CompanyResponse, AppError> {
    actor.require("org.company.read")?;
    let c = repo::find(conn, id)?
        .filter(|c| visible(actor, c.id))
        .ok_or(AppError::NotFound(ENTITY))?;
    to_response(&c)
}

pub fn list_companies(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<CompanyPage, AppError> {
    actor.require("org.company.read")?;
    let page = params.validate()?;
    let own = actor.company_id.to_db();
    let only = (!actor.can("org.company.create")).then_some(own.as_str());
    let rows = repo::list(conn, only, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |c| c.id);
    Ok(CompanyPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

pub fn update_company(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CompanyId,
    expected_version: i64,
    req: UpdateCompanyRequest,
) -> Result<CompanyResponse, AppError> {
    actor.require("org.company.write")?;
    let mut v = Validator::new();
    check_site(
        &mut v,
        req.name.as_deref(),
        req.currency.as_deref(),
        req.time_zone.as_deref(),
        req.address.as_ref(),
    );
    v.opt_text("tax_id", req.tax_id.as_deref(), 50);
    check_backdate_days(&mut v, req.stock_backdate_days);
    v.finish()?;
    write_tx(conn, |conn| {
        let mut c = repo::find(conn, id)?
            .filter(|c| visible(actor, c.id))
            .ok_or(AppError::NotFound(ENTITY))?;
        if c.version != expected_version {
            return Err(AppError::VersionMismatch { current: c.version });
        }
        let before = to_response(&c)?;
        if let Some(n) = &req.name {
            c.name = n.trim().to_string();
        }
        if let Some(cur) = &req.currency {
            c.currency = cur.clone();
        }
        if let Some(tz) = &req.time_zone {
            c.time_zone = tz.clone();
        }
        if let Some(a) = &req.address {
            c.set_address(a.clone());
        }
        if let Some(t) = &req.tax_id {
            c.tax_id = Some(t.clone()).filter(|t| !t.is_empty());
        }
        if let Some(active) = req.active {
            c.active = active;
        }
        if let Some(days) = req.stock_backdate_days {
            c.stock_backdate_days = days;
        }
        c.version += 1;
        c.updated_at = now();
        if !repo::update_versioned(conn, &c, expected_version)? {
            return Err(AppError::VersionMismatch { current: c.version });
        }
        let after = to_response(&c)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            c.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// The company as its printed documents head them: name, address, tax number.
pub fn letterhead(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> Result<crate::pdf::Party, AppError> {
    let c = repo::find(conn, company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    Ok(crate::pdf::Party::with_address(
        &c.name,
        &c.address(),
        c.tax_id.as_deref(),
    ))
}
