use std::collections::{BTreeMap, HashMap, HashSet};

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{CompanyId, PartnerId, UserId};
use erp_core::money::Money;
use erp_core::pagination::PageParams;
use erp_core::partner::dto::ContactPointDto;
use erp_core::partner::service::get_partner_unchecked;
use erp_inventory::ids::ItemId;

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::error::CrmError;
use crate::ids::{CampaignId, SegmentId};
use crate::model::{CampaignResponseRow, CampaignRow, CustomerRow, SegmentRow};

fn segment_response(s: &SegmentRow) -> Result<SegmentResponse, AppError> {
    Ok(SegmentResponse {
        id: SegmentId::from_db(&s.id)?,
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
        // Saving under a name replaces the segment of that name, unless campaigns used it.
        repo::delete_unused_named(conn, &company, &row.name)?;
        if !repo::insert_segment(conn, &row)? {
            return Err(CrmError::SegmentInUse.into());
        }
        let out = segment_response(&row)?;
        audit::record(conn, actor, "segment", &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_segments(conn: &mut DbConnection, actor: &Actor) -> Result<SegmentList, AppError> {
    actor.require(access::READ)?;
    let rows = repo::segments(conn, &actor.company_id.to_db())?;
    Ok(SegmentList {
        items: rows
            .iter()
            .map(segment_response)
            .collect::<Result<_, _>>()?,
    })
}

fn load_segment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SegmentId,
) -> Result<SegmentRow, AppError> {
    repo::find_segment(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound("segment"))
}

/// The cards matching the filters, among those the actor reaches.
fn matching(
    conn: &mut DbConnection,
    actor: &Actor,
    f: &SegmentFilters,
) -> Result<Vec<CustomerRow>, AppError> {
    let company = actor.company_id.to_db();
    let cards = repo::CardFilter {
        owners: access::narrow_owners(access::visible_owners(conn, actor)?, f.owner_id),
        statuses: f.statuses.clone(),
        region: f.region.clone(),
        segment: f.segment.clone(),
        no_contact_since: f.no_contact_since.and_then(|d| d.and_hms_opt(0, 0, 0)),
    };
    let mut rows = repo::cards(conn, &company, &cards)?;
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
        let orders = repo::placed_orders(conn, &company)?;
        if let Some(min) = f.min_order_total {
            let mut totals: HashMap<&str, i64> = HashMap::new();
            for (_, c, total, at) in &orders {
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
            let with_item: HashSet<String> = repo::orders_with_item(conn, &item.to_string())?
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
    let p = get_partner_unchecked(
        conn,
        CompanyId::from_db(&c.company_id)?,
        PartnerId::from_db(&c.partner_id)?,
    )?;
    let personal = actor.can(access::PERSONAL_READ);
    Ok(Member {
        customer_id: PartnerId::from_db(&c.partner_id)?,
        name: p.name.clone(),
        status: c.status,
        owner_id: UserId::from_db_opt(c.owner_id.as_deref())?,
        phone: ContactPointDto::primary_of(&p.phones).filter(|_| personal),
        email: ContactPointDto::primary_of(&p.emails).filter(|_| personal),
    })
}

/// The customers the segment holds now, in the order they became customers.
fn all_matching(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SegmentId,
) -> Result<Vec<CustomerRow>, AppError> {
    actor.require(access::READ)?;
    let s = load_segment(conn, actor, id)?;
    let filters: SegmentFilters = serde_json::from_str(&s.filters).unwrap_or_default();
    let mut rows = matching(conn, actor, &filters)?;
    rows.sort_by(|a, b| (a.created_at, &a.partner_id).cmp(&(b.created_at, &b.partner_id)));
    Ok(rows)
}

/// A page of the members, in the order they became customers. The segment is matched whole
/// each time (its filters read order totals and tags); only the page's members are read with
/// their contact data.
pub fn members(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SegmentId,
    page: PageParams,
) -> Result<MemberList, AppError> {
    let page = page.validate()?;
    let mut rows = all_matching(conn, actor, id)?;
    if let Some((at, after)) = &page.after {
        rows.retain(|c| (c.created_at, &c.partner_id) > (*at, after));
    }
    rows.truncate(usize::try_from(page.fetch_limit()).unwrap_or(usize::MAX));
    let (rows, next_cursor) = page.finish(rows, |c| (c.created_at, c.partner_id.as_str()));
    let items = rows
        .iter()
        .map(|c| member(conn, actor, c))
        .collect::<Result<_, _>>()?;
    Ok(MemberList {
        segment_id: id,
        items,
        next_cursor,
    })
}

/// The members as CSV for a mailing or SMS tool: the whole segment.
pub fn members_csv(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SegmentId,
) -> Result<String, AppError> {
    let rows = all_matching(conn, actor, id)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["customer_id", "name", "status", "phone", "email"])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    for c in &rows {
        let m = member(conn, actor, c)?;
        w.write_record([
            m.customer_id.to_string(),
            m.name,
            enum_to_db(&m.status),
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
    let kinds = repo::responses(conn, &c.id)?;
    let mut responses = BTreeMap::new();
    for k in kinds {
        *responses.entry(k).or_default() += 1;
    }
    Ok(CampaignResponse {
        id: CampaignId::from_db(&c.id)?,
        segment_id: SegmentId::from_db(&c.segment_id)?,
        name: c.name.clone(),
        channel: enum_from_db(&c.channel)?,
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
            channel: enum_to_db(&req.channel),
            members: serde_json::to_string(&members).unwrap_or_default(),
            created_by: actor.user_id.to_db(),
            created_at: now(),
        };
        repo::insert_campaign(conn, &row)?;
        let out = campaign_response(conn, &row)?;
        audit::record(conn, actor, "campaign", &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

fn load_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
) -> Result<CampaignRow, AppError> {
    repo::find_campaign(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound("campaign"))
}

pub fn get_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
) -> Result<CampaignResponse, AppError> {
    actor.require(access::READ)?;
    let c = load_campaign(conn, actor, id)?;
    campaign_response(conn, &c)
}

/// Records a member's response to the campaign.
pub fn record_response(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
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
        repo::insert_response(
            conn,
            &CampaignResponseRow {
                id: new_id(),
                campaign_id: c.id.clone(),
                customer_id: req.customer_id.to_string(),
                response: req.response.trim().to_lowercase(),
                note: req.note.clone(),
                created_at: now(),
            },
        )?;
        campaign_response(conn, &c)
    })
}

/// Items bought in the same orders as `basket`, not in it, most often first.
pub fn together(
    conn: &mut DbConnection,
    company: &str,
    basket: &HashSet<ItemId>,
) -> Result<SuggestionList, AppError> {
    let lines = repo::order_items(conn, company)?;
    let mut by_order: HashMap<String, HashSet<ItemId>> = HashMap::new();
    for (o, i) in lines {
        by_order.entry(o).or_default().insert(i);
    }
    let mut counts: HashMap<ItemId, i64> = HashMap::new();
    for items in by_order.values() {
        if items.iter().any(|i| basket.contains(i)) {
            for i in items.iter().filter(|i| !basket.contains(*i)) {
                *counts.entry(*i).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(ItemId, i64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(10);
    let ids: Vec<ItemId> = ranked.iter().map(|(id, _)| *id).collect();
    let labels = erp_inventory::item::repo::labels(conn, CompanyId::from_db(company)?, &ids)?;
    let mut items = Vec::new();
    for (id, n) in ranked {
        let (sku, name) = labels
            .get(&id)
            .map(|(sku, name, _)| (sku.clone(), name.clone()))
            .unwrap_or_default();
        items.push(Suggestion {
            item_id: id,
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
    customer_id: PartnerId,
) -> Result<SuggestionList, AppError> {
    let c = crate::customer::service::load_readable(conn, actor, customer_id)?;
    let bought: HashSet<ItemId> = repo::items_bought_by(conn, &c.partner_id)?
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
    let basket: HashSet<ItemId> = req.item_ids.iter().copied().collect();
    together(conn, &actor.company_id.to_db(), &basket)
}
