use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::schema::{
    crm_campaign_responses as cr, crm_campaigns as cp, crm_customers as cu,
    crm_sales_order_lines as ol, crm_sales_orders as so, crm_segments as sg, items,
};
use erp_core::db::{new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Money;
use erp_core::partner::service::get_partner_unchecked;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access;
use crate::model::{CampaignResponseRow, CampaignRow, CustomerRow, SegmentRow};

/// What a customer must match to be in a segment; all given filters apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentFilters {
    /// Any of these statuses.
    pub statuses: Option<Vec<String>>,
    /// Any of these tags.
    pub tags: Option<Vec<String>>,
    pub region: Option<String>,
    pub segment: Option<String>,
    pub owner_id: Option<Uuid>,
    /// No interaction since this date (or none at all).
    pub no_contact_since: Option<NaiveDate>,
    /// Orders (confirmed or delivered) placed in [`orders_from`, `orders_to`) total at least
    /// this much.
    pub min_order_total: Option<Money>,
    pub orders_from: Option<NaiveDate>,
    pub orders_to: Option<NaiveDate>,
    /// Bought (ordered, not cancelled) this item at some time.
    pub bought_item_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRequest {
    pub name: String,
    pub filters: SegmentFilters,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SegmentResponse {
    pub id: Uuid,
    pub name: String,
    pub filters: SegmentFilters,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SegmentList {
    pub items: Vec<SegmentResponse>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub customer_id: Uuid,
    pub name: String,
    pub status: String,
    pub owner_id: Option<Uuid>,
    /// Contact data only with `crm.personal_data.read`.
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberList {
    pub segment_id: Uuid,
    pub items: Vec<Member>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    pub segment_id: Uuid,
    pub name: String,
    /// `email`, `sms`, `call` or `mail`.
    pub channel: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseRequest {
    pub customer_id: Uuid,
    /// What came back: `opened`, `replied`, `ordered`, `unsubscribed`... (1 to 50 characters).
    pub response: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CampaignResponse {
    pub id: Uuid,
    pub segment_id: Uuid,
    pub name: String,
    pub channel: String,
    pub members: i64,
    /// Responses by kind.
    pub responses: BTreeMap<String, i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    pub item_id: Uuid,
    pub sku: String,
    pub name: String,
    /// Orders in which it was bought together with what the customer (or the quote) has.
    pub together: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestionList {
    /// Most often bought together first, at most 10.
    pub items: Vec<Suggestion>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    /// The items of a quote or basket.
    pub item_ids: Vec<Uuid>,
}

fn segment_response(s: &SegmentRow) -> Result<SegmentResponse, AppError> {
    Ok(SegmentResponse {
        id: uuid_from_db(&s.id)?,
        name: s.name.clone(),
        filters: serde_json::from_str(&s.filters).unwrap_or_default(),
        created_at: s.created_at.and_utc(),
    })
}

pub fn save_segment(
    conn: &mut DbConnection,
    actor: &Actor,
    req: SegmentRequest,
) -> Result<SegmentResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    v.text("name", &req.name, 100);
    if let (Some(f), Some(t)) = (req.filters.orders_from, req.filters.orders_to) {
        v.check(t > f, "filters.orders_to", "must be after orders_from");
    }
    v.check(
        req.filters.min_order_total.is_none_or(|m| m >= Money::ZERO),
        "filters.min_order_total",
        "must not be negative",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let row = SegmentRow {
            id: new_id(),
            company_id: company.clone(),
            name: req.name.trim().to_string(),
            filters: serde_json::to_string(&req.filters).unwrap_or_default(),
            created_at: now(),
        };
        diesel::delete(
            sg::table
                .filter(sg::company_id.eq(&company))
                .filter(sg::name.eq(&row.name))
                .filter(diesel::dsl::not(
                    sg::id.eq_any(cp::table.select(cp::segment_id)),
                )),
        )
        .execute(conn)?;
        diesel::insert_into(sg::table)
            .values(&row)
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => AppError::conflict(
                    "segment_in_use",
                    "a segment of this name has campaigns: save under another name",
                ),
                other => other.into(),
            })?;
        let out = segment_response(&row)?;
        audit::record(conn, actor, "segment", &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_segments(conn: &mut DbConnection, actor: &Actor) -> Result<SegmentList, AppError> {
    actor.require(access::READ)?;
    let rows: Vec<SegmentRow> = sg::table
        .filter(sg::company_id.eq(actor.company_id.to_db()))
        .order(sg::name)
        .select(SegmentRow::as_select())
        .load(conn)?;
    Ok(SegmentList {
        items: rows
            .iter()
            .map(segment_response)
            .collect::<Result<_, _>>()?,
    })
}

fn load_segment(conn: &mut DbConnection, actor: &Actor, id: Uuid) -> Result<SegmentRow, AppError> {
    sg::table
        .find(id.to_string())
        .filter(sg::company_id.eq(actor.company_id.to_db()))
        .select(SegmentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("segment"))
}

/// The cards matching the filters, among those the actor reaches.
fn matching(
    conn: &mut DbConnection,
    actor: &Actor,
    f: &SegmentFilters,
) -> Result<Vec<CustomerRow>, AppError> {
    let company = actor.company_id.to_db();
    let mut q = cu::table.filter(cu::company_id.eq(&company)).into_boxed();
    if let Some(owners) = access::narrow_owners(access::visible_owners(conn, actor)?, f.owner_id) {
        q = q.filter(cu::owner_id.eq_any(owners));
    }
    if let Some(s) = &f.statuses {
        q = q.filter(cu::status.eq_any(s.clone()));
    }
    if let Some(r) = &f.region {
        q = q.filter(cu::region.eq(r.clone()));
    }
    if let Some(s) = &f.segment {
        q = q.filter(cu::segment.eq(s.clone()));
    }
    if let Some(d) = f.no_contact_since.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        q = q.filter(cu::last_contact_at.is_null().or(cu::last_contact_at.lt(d)));
    }
    let mut rows: Vec<CustomerRow> = q
        .order(cu::partner_id)
        .select(CustomerRow::as_select())
        .load(conn)?;
    if let Some(tags) = &f.tags {
        let wanted: HashSet<String> = tags.iter().map(|t| t.trim().to_lowercase()).collect();
        rows.retain(|c| {
            serde_json::from_str::<Vec<String>>(&c.tags)
                .unwrap_or_default()
                .iter()
                .any(|t| wanted.contains(t))
        });
    }
    if f.min_order_total.is_some() || f.bought_item_id.is_some() {
        let orders: Vec<(String, String, i64, chrono::NaiveDateTime, String)> = so::table
            .filter(so::company_id.eq(&company))
            .filter(diesel::dsl::not(so::status.eq_any(["draft", "cancelled"])))
            .select((
                so::id,
                so::customer_id,
                so::total,
                so::created_at,
                so::status,
            ))
            .load(conn)?;
        if let Some(min) = f.min_order_total {
            let mut totals: HashMap<&str, i64> = HashMap::new();
            for (_, c, total, at, _) in &orders {
                if f.orders_from.is_none_or(|d| at.date() >= d)
                    && f.orders_to.is_none_or(|d| at.date() < d)
                {
                    *totals.entry(c.as_str()).or_default() += total;
                }
            }
            let min = min.to_scaled().unwrap_or(0);
            rows.retain(|c| totals.get(c.partner_id.as_str()).copied().unwrap_or(0) >= min);
        }
        if let Some(item) = f.bought_item_id {
            let with_item: HashSet<String> = ol::table
                .filter(ol::item_id.eq(item.to_string()))
                .select(ol::order_id)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let buyers: HashSet<&str> = orders
                .iter()
                .filter(|o| with_item.contains(&o.0))
                .map(|o| o.1.as_str())
                .collect();
            rows.retain(|c| buyers.contains(c.partner_id.as_str()));
        }
    }
    Ok(rows)
}

fn member(conn: &mut DbConnection, actor: &Actor, c: &CustomerRow) -> Result<Member, AppError> {
    let p = get_partner_unchecked(conn, &c.company_id, &c.partner_id)?;
    let personal = actor.can(access::PERSONAL_READ);
    let first = |list: &Vec<erp_core::partner::dto::ContactPointDto>| {
        list.iter()
            .find(|x| x.is_primary)
            .or(list.first())
            .map(|x| x.value.clone())
    };
    Ok(Member {
        customer_id: uuid_from_db(&c.partner_id)?,
        name: p.name.clone(),
        status: c.status.clone(),
        owner_id: c.owner_id.as_deref().map(uuid_from_db).transpose()?,
        phone: first(&p.phones).filter(|_| personal),
        email: first(&p.emails).filter(|_| personal),
    })
}

pub fn members(conn: &mut DbConnection, actor: &Actor, id: Uuid) -> Result<MemberList, AppError> {
    actor.require(access::READ)?;
    let s = load_segment(conn, actor, id)?;
    let filters: SegmentFilters = serde_json::from_str(&s.filters).unwrap_or_default();
    let rows = matching(conn, actor, &filters)?;
    let items = rows
        .iter()
        .map(|c| member(conn, actor, c))
        .collect::<Result<_, _>>()?;
    Ok(MemberList {
        segment_id: id,
        items,
    })
}

/// The members as CSV for a mailing or SMS tool.
pub fn members_csv(conn: &mut DbConnection, actor: &Actor, id: Uuid) -> Result<String, AppError> {
    let list = members(conn, actor, id)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["customer_id", "name", "status", "phone", "email"])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    for m in list.items {
        w.write_record([
            m.customer_id.to_string(),
            m.name,
            m.status,
            m.phone.unwrap_or_default(),
            m.email.unwrap_or_default(),
        ])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    String::from_utf8(
        w.into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))?,
    )
    .map_err(|e| AppError::Internal(e.to_string()))
}

fn campaign_response(
    conn: &mut DbConnection,
    c: &CampaignRow,
) -> Result<CampaignResponse, AppError> {
    let kinds: Vec<String> = cr::table
        .filter(cr::campaign_id.eq(&c.id))
        .select(cr::response)
        .load(conn)?;
    let mut responses = BTreeMap::new();
    for k in kinds {
        *responses.entry(k).or_default() += 1;
    }
    Ok(CampaignResponse {
        id: uuid_from_db(&c.id)?,
        segment_id: uuid_from_db(&c.segment_id)?,
        name: c.name.clone(),
        channel: c.channel.clone(),
        members: serde_json::from_str::<Vec<String>>(&c.members).map_or(0, |m| m.len() as i64),
        responses,
        created_at: c.created_at.and_utc(),
    })
}

pub fn create_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CampaignRequest,
) -> Result<CampaignResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    v.text("name", &req.name, 200);
    v.check(
        ["email", "sms", "call", "mail"].contains(&req.channel.as_str()),
        "channel",
        "one of email, sms, call, mail",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let s = load_segment(conn, actor, req.segment_id)
            .map_err(|_| AppError::field("segment_id", "no such segment"))?;
        let filters: SegmentFilters = serde_json::from_str(&s.filters).unwrap_or_default();
        let members: Vec<String> = matching(conn, actor, &filters)?
            .into_iter()
            .map(|c| c.partner_id)
            .collect();
        let row = CampaignRow {
            id: new_id(),
            company_id: s.company_id.clone(),
            segment_id: s.id.clone(),
            name: req.name.trim().to_string(),
            channel: req.channel.clone(),
            members: serde_json::to_string(&members).unwrap_or_default(),
            created_by: actor.user_id.to_db(),
            created_at: now(),
        };
        diesel::insert_into(cp::table).values(&row).execute(conn)?;
        let out = campaign_response(conn, &row)?;
        audit::record(conn, actor, "campaign", &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

fn load_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<CampaignRow, AppError> {
    cp::table
        .find(id.to_string())
        .filter(cp::company_id.eq(actor.company_id.to_db()))
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("campaign"))
}

pub fn get_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<CampaignResponse, AppError> {
    actor.require(access::READ)?;
    let c = load_campaign(conn, actor, id)?;
    campaign_response(conn, &c)
}

/// Records a member's response to the campaign.
pub fn record_response(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: ResponseRequest,
) -> Result<CampaignResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    v.check(
        !req.response.trim().is_empty() && req.response.len() <= 50,
        "response",
        "1 to 50 characters",
    );
    v.opt_text("note", req.note.as_deref(), 2000);
    v.finish()?;
    write_tx(conn, |conn| {
        let c = load_campaign(conn, actor, id)?;
        let members: Vec<String> = serde_json::from_str(&c.members).unwrap_or_default();
        if !members.contains(&req.customer_id.to_string()) {
            return Err(AppError::field(
                "customer_id",
                "is not a member of the campaign",
            ));
        }
        diesel::insert_into(cr::table)
            .values(&CampaignResponseRow {
                id: new_id(),
                campaign_id: c.id.clone(),
                customer_id: req.customer_id.to_string(),
                response: req.response.trim().to_lowercase(),
                note: req.note.clone(),
                created_at: now(),
            })
            .execute(conn)?;
        campaign_response(conn, &c)
    })
}

/// Items bought in the same orders as `basket`, not in it, most often first.
pub fn together(
    conn: &mut DbConnection,
    company: &str,
    basket: &HashSet<String>,
) -> Result<SuggestionList, AppError> {
    let lines: Vec<(String, String)> = ol::table
        .inner_join(so::table.on(so::id.eq(ol::order_id)))
        .filter(so::company_id.eq(company))
        .filter(so::status.ne("cancelled"))
        .select((ol::order_id, ol::item_id))
        .load(conn)?;
    let mut by_order: HashMap<String, HashSet<String>> = HashMap::new();
    for (o, i) in lines {
        by_order.entry(o).or_default().insert(i);
    }
    let mut counts: HashMap<String, i64> = HashMap::new();
    for items in by_order.values() {
        if items.iter().any(|i| basket.contains(i)) {
            for i in items.iter().filter(|i| !basket.contains(*i)) {
                *counts.entry(i.clone()).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(String, i64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut items = Vec::new();
    for (id, n) in ranked.into_iter().take(10) {
        let (sku, name): (String, String) = items::table
            .find(&id)
            .select((items::sku, items::name))
            .first(conn)?;
        items.push(Suggestion {
            item_id: uuid_from_db(&id)?,
            sku,
            name,
            together: n,
        });
    }
    Ok(SuggestionList { items })
}

/// What to offer a customer: items often bought together with what they bought.
pub fn suggestions_for_customer(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: Uuid,
) -> Result<SuggestionList, AppError> {
    let c = crate::customer::service::load_readable(conn, actor, customer_id)?;
    let bought: HashSet<String> = ol::table
        .inner_join(so::table.on(so::id.eq(ol::order_id)))
        .filter(so::customer_id.eq(&c.partner_id))
        .filter(so::status.ne("cancelled"))
        .select(ol::item_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    together(conn, &c.company_id, &bought)
}

/// What to add to a quote or basket.
pub fn suggestions_for_items(
    conn: &mut DbConnection,
    actor: &Actor,
    req: SuggestRequest,
) -> Result<SuggestionList, AppError> {
    actor.require(access::READ)?;
    if req.item_ids.is_empty() || req.item_ids.len() > 500 {
        return Err(AppError::field("item_ids", "give 1 to 500 items"));
    }
    let basket: HashSet<String> = req.item_ids.iter().map(|i| i.to_string()).collect();
    together(conn, &actor.company_id.to_db(), &basket)
}
