//! Payment terms: create, list, read.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Percent;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::instalment::Share;
use super::model::PaymentTermsRow;
use super::repo;
use crate::account::service::{READ, WRITE};
use crate::ids::PaymentTermsId;

const ENTITY: &str = "fin_payment_terms";

/// The instalment shares of terms; empty when all is due on `net_days`.
pub fn shares_of(row: &PaymentTermsRow) -> Result<Vec<Share>, AppError> {
    row.instalments
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| AppError::Internal(format!("stored instalments of terms: {e}")))
        .map(Option::unwrap_or_default)
}

pub fn to_response(row: &PaymentTermsRow) -> Result<PaymentTermsResponse, AppError> {
    Ok(PaymentTermsResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        net_days: row.net_days,
        discount_days: row.discount_days,
        discount_rate: Percent::from_scaled(row.discount_rate),
        instalments: shares_of(row)?
            .iter()
            .map(|s| TermsInstalment {
                percent: Percent::from_scaled(s.percent),
                days: s.days,
            })
            .collect(),
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Checks instalments: 2 to 12, each share more than 0 adding up to exactly 100, days
/// strictly ascending from 0 to 3650, the last on `net_days`.
fn check_instalments(
    v: &mut Validator,
    list: &[TermsInstalment],
    net_days: i32,
) -> Result<Vec<Share>, AppError> {
    v.check(
        (2..=12).contains(&list.len()),
        "instalments",
        "2 to 12 instalments (leave it out for a single due date)",
    );
    let mut total = Decimal::ZERO;
    let mut shares = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        let f = |name: &str| format!("instalments[{i}].{name}");
        v.check(
            s.percent.value() > Decimal::ZERO,
            &f("percent"),
            "must be more than 0",
        );
        v.check(
            (0..=3650).contains(&s.days),
            &f("days"),
            "must be between 0 and 3650",
        );
        if i > 0 {
            v.check(
                s.days > list[i - 1].days,
                &f("days"),
                "must be after the instalment before",
            );
        }
        total += s.percent.value();
        shares.push(Share {
            percent: s.percent.to_scaled()?,
            days: s.days,
        });
    }
    if total != Decimal::ONE_HUNDRED {
        v.add(
            "instalments",
            format!("the shares add up to {total} percent, not 100"),
        );
    }
    if let Some(last) = list.last().filter(|l| l.days != net_days) {
        v.add(
            "net_days",
            format!("must be the last instalment's days ({})", last.days),
        );
    }
    Ok(shares)
}

pub fn create_payment_terms(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePaymentTermsRequest,
) -> Result<PaymentTermsResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    let rate = req.discount_rate.unwrap_or(Percent::ZERO);
    let mut v = Validator::new();
    v.code("code", &code, 32);
    v.text("name", &req.name, 200);
    v.check(
        (0..=3650).contains(&req.net_days),
        "net_days",
        "must be between 0 and 3650",
    );
    v.check(
        (0..=req.net_days.max(0)).contains(&req.discount_days),
        "discount_days",
        "must be between 0 and net_days",
    );
    v.check(
        rate.value() >= Decimal::ZERO && rate.value() < Decimal::ONE_HUNDRED,
        "discount_rate",
        "must be at least 0 and under 100",
    );
    v.check(
        (req.discount_days > 0) == (rate.value() > Decimal::ZERO),
        "discount_rate",
        "a discount needs both discount_days and discount_rate",
    );
    let shares = match &req.instalments {
        Some(list) => Some(check_instalments(&mut v, list, req.net_days)?),
        None => None,
    };
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::code_taken(conn, company, &code)? {
            return Err(AppError::conflict(
                "duplicate_code",
                format!("the payment terms code '{code}' is taken"),
            ));
        }
        let at = now();
        let row = PaymentTermsRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
            code: code.clone(),
            name: req.name.trim().to_string(),
            net_days: req.net_days,
            discount_days: req.discount_days,
            discount_rate: rate.to_scaled()?,
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
            instalments: shares
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| AppError::Internal(e.to_string()))?,
        };
        repo::insert(conn, &row)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_payment_terms(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PaymentTermsId,
) -> Result<PaymentTermsResponse, AppError> {
    actor.require(READ)?;
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("payment terms"))?;
    to_response(&row)
}

pub fn list_payment_terms(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<PaymentTermsPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(PaymentTermsPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
