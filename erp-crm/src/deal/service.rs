//! The sales pipeline: configurable stages with probability; deals with value, owner, stage
//! history with times, won or lost with a reason.
//! Moving a deal through the pipeline and qualifying a lead are in `stage_move.rs`.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::CompanyId;
use erp_core::ids::{PartnerId, UserId};
use erp_core::money::{round_commercial, Money, Qty};
use erp_core::org::{check_currency, company};
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::repo::{self, DealFilter};
use crate::access;
use crate::customer::repo as customer_repo;
use crate::error::CrmError;
use crate::ids::{DealId, StageId};
use crate::model::{DealChangeRow, DealRow, DealStageRow, StageRow};
use crate::stage::{self, dto::StageKind};

pub use super::stage_move::*;

pub(super) const ENTITY: &str = "deal";

pub fn to_response(conn: &mut DbConnection, d: &DealRow) -> Result<DealResponse, AppError> {
    Ok(to_responses(conn, std::slice::from_ref(d))?.remove(0))
}

/// The wire form of deals of one company with their stage history and field changes: three
/// queries however many deals.
pub fn to_responses(
    conn: &mut DbConnection,
    deals: &[DealRow],
) -> Result<Vec<DealResponse>, AppError> {
    let Some(first) = deals.first() else {
        return Ok(Vec::new());
    };
    let all = stage::repo::stages(conn, &first.company_id)?;
    let ids: Vec<String> = deals.iter().map(|d| d.id.clone()).collect();
    let mut histories = repo::history(conn, &ids)?;
    let mut changes = repo::field_changes(conn, &ids)?;
    deals
        .iter()
        .map(|d| {
            respond(
                d,
                &all,
                histories.remove(&d.id).unwrap_or_default(),
                changes.remove(&d.id).unwrap_or_default(),
            )
        })
        .collect()
}

pub(super) fn respond(
    d: &DealRow,
    all: &[StageRow],
    stage_history: Vec<DealStageRow>,
    field_changes: Vec<DealChangeRow>,
) -> Result<DealResponse, AppError> {
    let stage = all
        .iter()
        .find(|s| s.id == d.stage_id)
        .ok_or_else(|| AppError::Internal(format!("deal {} has no stage", d.id)))?;
    let mut history = Vec::new();
    let mut previous: Option<chrono::NaiveDateTime> = None;
    for h in stage_history {
        history.push(StageChange {
            from_stage_id: StageId::from_db_opt(h.from_stage_id.as_deref())?,
            to_stage_id: StageId::from_db(&h.to_stage_id)?,
            changed_at: h.changed_at.and_utc(),
            user_id: UserId::from_db(&h.user_id)?,
            seconds_in_previous: previous.map(|p| (h.changed_at - p).num_seconds()),
        });
        previous = Some(h.changed_at);
    }
    let value = Money::from_scaled(d.value);
    let weighted = round_commercial(
        value.value() * Qty::from_scaled(stage.probability).value() / Decimal::ONE_HUNDRED,
        4,
    );
    Ok(DealResponse {
        id: DealId::from_db(&d.id)?,
        customer_id: PartnerId::from_db(&d.customer_id)?,
        title: d.title.clone(),
        value,
        currency: d.currency.clone(),
        expected_close: d.expected_close,
        owner_id: UserId::from_db(&d.owner_id)?,
        stage_id: StageId::from_db(&d.stage_id)?,
        stage_code: stage.code.clone(),
        weighted_value: Money::new(weighted).unwrap_or(Money::ZERO),
        status: d.status,
        lost_reason: d.lost_reason.clone(),
        closed_at: d.closed_at.map(|t| t.and_utc()),
        history,
        changes: field_changes
            .into_iter()
            .map(|c| {
                Ok(DealChange {
                    field: enum_from_db(&c.field)?,
                    from: c.old_value,
                    to: c.new_value,
                    changed_at: c.changed_at.and_utc(),
                    user_id: UserId::from_db(&c.user_id)?,
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: d.version,
        created_at: d.created_at.and_utc(),
        updated_at: d.updated_at.and_utc(),
    })
}

/// Whether the actor reaches a deal: theirs (or a team member's), or of a customer they reach.
pub(super) fn reaches_deal(
    conn: &mut DbConnection,
    actor: &Actor,
    d: &DealRow,
) -> Result<bool, AppError> {
    if access::reaches_user(conn, actor, &d.owner_id)? {
        return Ok(true);
    }
    match customer_repo::find(conn, &d.customer_id, &d.company_id)? {
        Some(c) => access::reaches(conn, actor, &c),
        None => Ok(false),
    }
}

/// A deal the actor may work on: a deal of a customer they reach.
pub(super) fn load_writable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<DealRow, AppError> {
    actor.require(access::DEALS)?;
    let d = repo::find(conn, id, &actor.company_id.to_db())?.ok_or(AppError::NotFound(ENTITY))?;
    if !reaches_deal(conn, actor, &d)? {
        return Err(AppError::NotFound(ENTITY));
    }
    Ok(d)
}

pub fn create_deal(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateDealRequest,
) -> Result<DealResponse, AppError> {
    actor.require(access::DEALS)?;
    let mut v = Validator::new();
    v.text("title", &req.title, 200);
    v.check(req.value >= Money::ZERO, "value", "must not be negative");
    if let Some(c) = &req.currency {
        check_currency(&mut v, "currency", c);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let c = customer_repo::find(
            conn,
            &req.customer_id.to_string(),
            &actor.company_id.to_db(),
        )?;
        let c = access::writable(conn, actor, c)
            .map_err(|_| AppError::field("customer_id", "no such customer of yours"))?;
        let all = stage::service::stages(conn, &c.company_id)?;
        let stage = match req.stage_id {
            Some(s) => all
                .iter()
                .find(|x| x.id == s.to_string() && x.kind == StageKind::Open)
                .ok_or_else(|| AppError::field("stage_id", "no such open stage"))?,
            None => all
                .iter()
                .find(|x| x.kind == StageKind::Open)
                .ok_or(CrmError::NoStage("open"))?,
        };
        let owner = match req.owner_id {
            Some(o) => access::check_user(conn, actor, o, "owner_id")?,
            None => c.owner_id.clone().unwrap_or_else(|| actor.user_id.to_db()),
        };
        let currency = match &req.currency {
            Some(c) => c.clone(),
            None => company::repo::find(conn, CompanyId::from_db(&c.company_id)?)?
                .map(|x| x.currency)
                .unwrap_or_else(|| "EUR".into()),
        };
        let at = now();
        let d = DealRow {
            id: new_id(),
            company_id: c.company_id.clone(),
            customer_id: c.partner_id.clone(),
            title: req.title.trim().to_string(),
            value: req
                .value
                .to_scaled()
                .map_err(|e| AppError::field("value", e.to_string()))?,
            currency,
            expected_close: req.expected_close,
            owner_id: owner,
            stage_id: stage.id.clone(),
            status: DealStatus::Open,
            lost_reason: None,
            closed_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &d)?;
        repo::insert_change(
            conn,
            &DealStageRow {
                id: new_id(),
                deal_id: d.id.clone(),
                from_stage_id: None,
                to_stage_id: d.stage_id.clone(),
                changed_at: at,
                user_id: actor.user_id.to_db(),
            },
        )?;
        crate::automation::service::on_stage_entered(conn, &d, &actor.user_id.to_db())?;
        let out = to_response(conn, &d)?;
        audit::record(conn, actor, ENTITY, &d.id, Change::Created(&out))?;
        crate::webhook::service::emit(conn, &d.company_id, "deal.created", &out)?;
        Ok(out)
    })
}

/// A deal the actor may read: of their own customers (a team lead's team's, everyone's with
/// `crm.all`), or 404 as if absent.
pub fn load_readable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DealId,
) -> Result<DealRow, AppError> {
    actor.require(access::READ)?;
    let d = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound(ENTITY))?;
    if !reaches_deal(conn, actor, &d)? {
        return Err(AppError::NotFound(ENTITY));
    }
    Ok(d)
}

pub fn get_deal(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DealId,
) -> Result<DealResponse, AppError> {
    let d = load_readable(conn, actor, id)?;
    to_response(conn, &d)
}

pub fn list_deals(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: DealListQuery,
) -> Result<DealPage, AppError> {
    actor.require(access::READ)?;
    let page = params.validate()?;
    access::user_filter(conn, actor, q.owner_id)?;
    access::customer_filter(conn, actor, q.customer_id)?;
    let company = actor.company_id.to_db();
    filter::names(q.stage_id, |s| stage::service::load(conn, &company, s))?;
    let owners = access::narrow_owners(access::visible_owners(conn, actor)?, q.owner_id);
    let filter = DealFilter {
        customer_id: q.customer_id.map(|c| c.to_string()),
        owners,
        status: q.status.map(|s| enum_to_db(&s)),
        stage_id: q.stage_id.map(|s| s.to_string()),
    };
    let rows = repo::list(conn, &company, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |d| &d.id);
    let items = to_responses(conn, &rows)?;
    Ok(DealPage { items, next_cursor })
}

/// Changes an open deal's title, value, currency, expected close or owner; each field that
/// changes goes on the deal's history, with who and when.
pub fn update_deal(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DealId,
    expected: i64,
    req: UpdateDealRequest,
) -> Result<DealResponse, AppError> {
    let mut v = Validator::new();
    if let Some(t) = &req.title {
        v.text("title", t, 200);
    }
    if let Some(value) = req.value {
        v.check(value >= Money::ZERO, "value", "must not be negative");
    }
    if let Some(c) = &req.currency {
        check_currency(&mut v, "currency", c);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let mut d = load_writable(conn, actor, &id.to_string())?;
        if d.version != expected {
            return Err(AppError::VersionMismatch { current: d.version });
        }
        if d.status != DealStatus::Open {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "change",
                current: d.status.to_string(),
            });
        }
        let before = to_response(conn, &d)?;
        let mut changes: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        if let Some(t) = &req.title {
            let t = t.trim().to_string();
            if t != d.title {
                changes.push(("title", Some(d.title.clone()), Some(t.clone())));
                d.title = t;
            }
        }
        if let Some(value) = req.value {
            let scaled = value
                .to_scaled()
                .map_err(|e| AppError::field("value", e.to_string()))?;
            if scaled != d.value {
                changes.push((
                    "value",
                    Some(Money::from_scaled(d.value).to_string()),
                    Some(value.to_string()),
                ));
                d.value = scaled;
            }
        }
        if let Some(c) = &req.currency {
            if *c != d.currency {
                changes.push(("currency", Some(d.currency.clone()), Some(c.clone())));
                d.currency = c.clone();
            }
        }
        if let Some(close) = req.expected_close {
            if close != d.expected_close {
                let show = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string());
                changes.push(("expected_close", show(d.expected_close), show(close)));
                d.expected_close = close;
            }
        }
        if let Some(owner) = req.owner_id {
            let owner = access::check_user(conn, actor, owner, "owner_id")?;
            if !access::reaches_user(conn, actor, &owner)? {
                return Err(AppError::field(
                    "owner_id",
                    "not a user you may hand deals to (yourself or your team)",
                ));
            }
            if owner != d.owner_id {
                changes.push(("owner_id", Some(d.owner_id.clone()), Some(owner.clone())));
                d.owner_id = owner;
            }
        }
        if changes.is_empty() {
            return Ok(before);
        }
        let at = now();
        d.version += 1;
        d.updated_at = at;
        if !repo::update_versioned(conn, &d, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        for (field, old_value, new_value) in changes {
            repo::insert_field_change(
                conn,
                &DealChangeRow {
                    id: new_id(),
                    deal_id: d.id.clone(),
                    field: field.to_string(),
                    old_value,
                    new_value,
                    changed_at: at,
                    user_id: actor.user_id.to_db(),
                },
            )?;
        }
        let out = to_response(conn, &d)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &d.id,
            Change::Updated {
                before: &before,
                after: &out,
            },
        )?;
        crate::webhook::service::emit(conn, &d.company_id, "deal.updated", &out)?;
        Ok(out)
    })
}
