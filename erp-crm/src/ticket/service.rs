use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{PartnerId, UserId};
use erp_core::pagination::PageParams;

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::ids::{SalesOrderId, TicketId};
use crate::model::{CustomerRow, TicketRow};

pub fn to_response(t: &TicketRow) -> Result<TicketResponse, AppError> {
    let breached = match t.resolved_at {
        Some(r) => r > t.sla_due_at,
        None => now() > t.sla_due_at,
    };
    Ok(TicketResponse {
        id: TicketId::from_db(&t.id)?,
        customer_id: PartnerId::from_db(&t.customer_id)?,
        order_id: SalesOrderId::from_db_opt(t.order_id.as_deref())?,
        kind: enum_from_db(&t.kind)?,
        subject: t.subject.clone(),
        description: t.description.clone(),
        cause: t.cause.clone(),
        priority: enum_from_db(&t.priority)?,
        status: t.status,
        owner_id: UserId::from_db(&t.owner_id)?,
        sla_due_at: t.sla_due_at.and_utc(),
        sla_breached: breached,
        resolution: t.resolution.clone(),
        resolved_at: t.resolved_at.map(|r| r.and_utc()),
        version: t.version,
        created_at: t.created_at.and_utc(),
    })
}

pub fn create_ticket(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateTicketRequest,
) -> Result<TicketResponse, AppError> {
    actor.require(access::WRITE)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let c = {
            let found = customer_repo::find(conn, &req.customer_id.to_string(), &company)?;
            access::writable(conn, actor, found)
        }
        .map_err(|_| AppError::field("customer_id", "no such customer of yours"))?;
        open(conn, actor, &c, req)
    })
}

/// Opens a ticket for a customer the caller was checked to reach (staff on their customer,
/// or the customer through the portal); the customer's manager owns it.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    c: &CustomerRow,
    req: CreateTicketRequest,
) -> Result<TicketResponse, AppError> {
    let mut v = Validator::new();
    v.text("subject", &req.subject, 300);
    v.opt_text("description", req.description.as_deref(), 20_000);
    v.opt_text("cause", req.cause.as_deref(), 100);
    v.check(
        req.kind != TicketKind::Complaint || req.cause.is_some(),
        "cause",
        "a complaint needs its cause",
    );
    v.finish()?;
    let company = c.company_id.clone();
    if let Some(o) = req.order_id {
        let ok = crate::order::repo::find(conn, &o.to_string(), &company)?
            .is_some_and(|o| o.customer_id == c.partner_id);
        if !ok {
            return Err(AppError::field(
                "order_id",
                "is not an order of this customer",
            ));
        }
    }
    let priority = req.priority.unwrap_or(Priority::Normal);
    let at = now();
    let hours = match priority {
        Priority::High => 8,
        Priority::Normal => 24,
        Priority::Low => 72,
    };
    let t = TicketRow {
        id: new_id(),
        company_id: company,
        customer_id: c.partner_id.clone(),
        order_id: req.order_id.map(|o| o.to_string()),
        kind: enum_to_db(&req.kind),
        subject: req.subject.trim().to_string(),
        description: req.description.clone(),
        cause: req.cause.as_ref().map(|c| c.trim().to_lowercase()),
        priority: enum_to_db(&priority),
        status: TicketStatus::Open,
        owner_id: c.owner_id.clone().unwrap_or_else(|| actor.user_id.to_db()),
        sla_due_at: req
            .sla_due_at
            .map(|d| d.naive_utc())
            .unwrap_or(at + Duration::hours(hours)),
        resolution: None,
        resolved_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    repo::insert(conn, &t)?;
    let out = to_response(&t)?;
    audit::record(conn, actor, "ticket", &t.id, Change::Created(&out))?;
    Ok(out)
}

pub fn resolve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TicketId,
    req: ResolveTicketRequest,
) -> Result<TicketResponse, AppError> {
    actor.require(access::WRITE)?;
    if req.resolution.trim().is_empty() {
        return Err(AppError::field("resolution", "say how it was resolved"));
    }
    write_tx(conn, |conn| {
        let mut t = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound("ticket"))?;
        access::check_record(conn, actor, &t.customer_id, &t.company_id, true, "ticket")?;
        if t.status != TicketStatus::Open {
            return Err(AppError::InvalidState {
                entity: "ticket",
                action: "resolve",
                current: t.status.to_string(),
            });
        }
        let expected = t.version;
        t.status = TicketStatus::Resolved;
        t.resolution = Some(req.resolution.trim().to_string());
        t.resolved_at = Some(now());
        t.version += 1;
        t.updated_at = now();
        if !repo::resolve(conn, &t, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let out = to_response(&t)?;
        audit::record(
            conn,
            actor,
            "ticket",
            &t.id,
            Change::Action("resolve", Some(&out)),
        )?;
        Ok(out)
    })
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    q: TicketQuery,
    page: PageParams,
) -> Result<TicketList, AppError> {
    actor.require(access::READ)?;
    let page = page.validate()?;
    access::customer_filter(conn, actor, q.customer_id)?;
    let owners = access::visible_owners(conn, actor)?;
    let filter = repo::TicketFilter {
        owners: owners.as_deref(),
        customer_id: q.customer_id.map(|c| c.to_string()),
        status: q.status.as_ref().map(enum_to_db),
        breached: q.breached,
    };
    let rows = repo::page(conn, &actor.company_id.to_db(), &filter, now(), &page)?;
    let (rows, next_cursor) = page.finish(rows, |t: &TicketRow| (t.sla_due_at, t.id.as_str()));
    Ok(TicketList {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Complaints per month and cause.
pub fn complaints(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ComplaintQuery,
) -> Result<ComplaintReport, AppError> {
    actor.require(access::READ)?;
    let owners = crate::report::service::scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?;
    let rows = repo::complaints(
        conn,
        &actor.company_id.to_db(),
        owners.as_deref(),
        q.from.map(|d| d.and_time(chrono::NaiveTime::MIN)),
        q.to.map(|d| d.and_time(chrono::NaiveTime::MIN)),
    )?;
    let mut counts: BTreeMap<(NaiveDate, String), i64> = BTreeMap::new();
    for (cause, at) in rows {
        let day = at.date();
        let month = NaiveDate::from_ymd_opt(
            chrono::Datelike::year(&day),
            chrono::Datelike::month(&day),
            1,
        )
        .unwrap_or(day);
        *counts
            .entry((month, cause.unwrap_or_default()))
            .or_default() += 1;
    }
    Ok(ComplaintReport {
        lines: counts
            .into_iter()
            .map(|((month, cause), count)| ComplaintLine {
                month,
                cause,
                count,
            })
            .collect(),
    })
}
