use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::schema::crm_tickets as tt;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::pagination::PageParams;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::access;
use crate::customer::repo as customer_repo;
use crate::model::{CustomerRow, TicketRow};
use crate::task::dto::Priority;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    Complaint,
    Service,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicketRequest {
    pub customer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    /// What went wrong ("late delivery", "damaged"): complaints are reported by cause.
    pub cause: Option<String>,
    /// Default normal. The SLA follows it: high 8 hours, normal 24, low 72.
    pub priority: Option<Priority>,
    /// Overrides the SLA the priority gives.
    pub sla_due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveTicketRequest {
    pub resolution: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Open,
    Resolved,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketResponse {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    pub cause: Option<String>,
    pub priority: Priority,
    pub status: TicketStatus,
    pub owner_id: Uuid,
    pub sla_due_at: DateTime<Utc>,
    /// Open past its SLA, or resolved after it.
    pub sla_breached: bool,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    pub customer_id: Option<Uuid>,
    /// `open` or `resolved`.
    pub status: Option<String>,
    /// Only tickets past their SLA.
    pub breached: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TicketList {
    /// By SLA due time, most urgent first.
    pub items: Vec<TicketResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Complaints owned by one manager, a team's members or a branch's managers.
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub branch_id: Option<Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintLine {
    /// The first day of the month.
    pub month: NaiveDate,
    pub cause: String,
    pub count: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintReport {
    pub lines: Vec<ComplaintLine>,
}

pub fn to_response(t: &TicketRow) -> Result<TicketResponse, AppError> {
    let breached = match t.resolved_at {
        Some(r) => r > t.sla_due_at,
        None => now() > t.sla_due_at,
    };
    Ok(TicketResponse {
        id: uuid_from_db(&t.id)?,
        customer_id: uuid_from_db(&t.customer_id)?,
        order_id: t.order_id.as_deref().map(uuid_from_db).transpose()?,
        kind: enum_from_db(&t.kind)?,
        subject: t.subject.clone(),
        description: t.description.clone(),
        cause: t.cause.clone(),
        priority: enum_from_db(&t.priority)?,
        status: enum_from_db(&t.status)?,
        owner_id: uuid_from_db(&t.owner_id)?,
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

/// A ticket of the company.
pub fn find(conn: &mut DbConnection, id: &str, company: &str) -> QueryResult<Option<TicketRow>> {
    tt::table
        .find(id)
        .filter(tt::company_id.eq(company))
        .select(TicketRow::as_select())
        .first(conn)
        .optional()
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
        status: "open".into(),
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
    diesel::insert_into(tt::table).values(&t).execute(conn)?;
    let out = to_response(&t)?;
    audit::record(conn, actor, "ticket", &t.id, Change::Created(&out))?;
    Ok(out)
}

pub fn resolve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: ResolveTicketRequest,
) -> Result<TicketResponse, AppError> {
    actor.require(access::WRITE)?;
    if req.resolution.trim().is_empty() {
        return Err(AppError::field("resolution", "say how it was resolved"));
    }
    write_tx(conn, |conn| {
        let mut t = find(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound("ticket"))?;
        access::check_record(conn, actor, &t.customer_id, &t.company_id, true, "ticket")?;
        if t.status != "open" {
            return Err(AppError::InvalidState {
                entity: "ticket",
                action: "resolve",
                current: t.status.clone(),
            });
        }
        let expected = t.version;
        t.status = "resolved".into();
        t.resolution = Some(req.resolution.trim().to_string());
        t.resolved_at = Some(now());
        t.version += 1;
        t.updated_at = now();
        let n = diesel::update(
            tt::table
                .filter(tt::id.eq(&t.id))
                .filter(tt::version.eq(expected)),
        )
        .set((
            tt::status.eq(&t.status),
            tt::resolution.eq(&t.resolution),
            tt::resolved_at.eq(t.resolved_at),
            tt::version.eq(t.version),
            tt::updated_at.eq(t.updated_at),
        ))
        .execute(conn)?;
        if n != 1 {
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
    let mut query = tt::table
        .filter(tt::company_id.eq(actor.company_id.to_db()))
        .into_boxed();
    if let Some(owners) = access::visible_owners(conn, actor)? {
        query = query.filter(tt::owner_id.eq_any(owners));
    }
    if let Some(c) = q.customer_id {
        query = query.filter(tt::customer_id.eq(c.to_string()));
    }
    if let Some(s) = q.status {
        query = query.filter(tt::status.eq(s));
    }
    // Breached: open past its SLA, or resolved after it (as `to_response` says).
    let at = now();
    match q.breached {
        Some(true) => {
            query = query.filter(
                tt::resolved_at
                    .is_null()
                    .and(tt::sla_due_at.lt(at))
                    .or(tt::resolved_at.assume_not_null().gt(tt::sla_due_at)),
            )
        }
        Some(false) => {
            query = query.filter(
                tt::resolved_at
                    .is_null()
                    .and(tt::sla_due_at.ge(at))
                    .or(tt::resolved_at.assume_not_null().le(tt::sla_due_at)),
            )
        }
        None => {}
    }
    let query = erp_core::after_key!(query, page, tt::sla_due_at, tt::id, asc);
    let rows: Vec<TicketRow> = query
        .order((tt::sla_due_at, tt::id))
        .limit(page.fetch_limit())
        .select(TicketRow::as_select())
        .load(conn)?;
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
    let mut query = tt::table
        .filter(tt::company_id.eq(actor.company_id.to_db()))
        .filter(tt::kind.eq("complaint"))
        .into_boxed();
    if let Some(owners) =
        crate::report::service::scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?
    {
        query = query.filter(tt::owner_id.eq_any(owners));
    }
    let rows: Vec<(Option<String>, chrono::NaiveDateTime)> =
        query.select((tt::cause, tt::created_at)).load(conn)?;
    let mut counts: BTreeMap<(NaiveDate, String), i64> = BTreeMap::new();
    for (cause, at) in rows {
        let day = at.date();
        if q.from.is_some_and(|f| day < f) || q.to.is_some_and(|t| day >= t) {
            continue;
        }
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
