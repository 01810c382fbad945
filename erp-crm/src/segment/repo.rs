//! Queries of segments, campaigns and the order history they select by.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use erp_core::db::schema::{
    crm_campaign_responses as cr, crm_campaigns as cp, crm_customers as cu,
    crm_sales_order_lines as ol, crm_sales_orders as so, crm_segments as sg,
};
use erp_core::db::DbConnection;
use erp_inventory::ids::ItemId;

use crate::model::{CampaignResponseRow, CampaignRow, CustomerRow, SegmentRow};
use crate::states::OrderStatus;

/// Deletes the company's segment of this name unless a campaign was made from it.
pub fn delete_unused_named(conn: &mut DbConnection, company: &str, name: &str) -> QueryResult<()> {
    diesel::delete(
        sg::table
            .filter(sg::company_id.eq(company))
            .filter(sg::name.eq(name))
            .filter(diesel::dsl::not(
                sg::id.eq_any(cp::table.select(cp::segment_id)),
            )),
    )
    .execute(conn)
    .map(|_| ())
}

/// Inserts a segment; false when the company has one of that name.
pub fn insert_segment(conn: &mut DbConnection, row: &SegmentRow) -> QueryResult<bool> {
    match diesel::insert_into(sg::table).values(row).execute(conn) {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The company's segments by name.
pub fn segments(conn: &mut DbConnection, company: &str) -> QueryResult<Vec<SegmentRow>> {
    sg::table
        .filter(sg::company_id.eq(company))
        .order(sg::name)
        .select(SegmentRow::as_select())
        .load(conn)
}

pub fn find_segment(
    conn: &mut DbConnection,
    id: &str,
    company: &str,
) -> QueryResult<Option<SegmentRow>> {
    sg::table
        .find(id)
        .filter(sg::company_id.eq(company))
        .select(SegmentRow::as_select())
        .first(conn)
        .optional()
}

/// What the customer cards of a segment are narrowed to in the database.
pub struct CardFilter {
    /// Only cards of these owners; all when `None`.
    pub owners: Option<Vec<String>>,
    pub statuses: Option<Vec<String>>,
    pub region: Option<String>,
    pub segment: Option<String>,
    /// No contact since this instant (or none at all).
    pub no_contact_since: Option<NaiveDateTime>,
}

/// The company's customer cards matching the filter, by id.
pub fn cards(
    conn: &mut DbConnection,
    company: &str,
    f: &CardFilter,
) -> QueryResult<Vec<CustomerRow>> {
    let mut q = cu::table.filter(cu::company_id.eq(company)).into_boxed();
    if let Some(owners) = &f.owners {
        q = q.filter(cu::owner_id.eq_any(owners.clone()));
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
    if let Some(d) = f.no_contact_since {
        q = q.filter(cu::last_contact_at.is_null().or(cu::last_contact_at.lt(d)));
    }
    q.order(cu::partner_id)
        .select(CustomerRow::as_select())
        .load(conn)
}

/// (id, customer, total, placed at) of the company's orders neither draft nor cancelled.
pub fn placed_orders(
    conn: &mut DbConnection,
    company: &str,
) -> QueryResult<Vec<(String, String, i64, NaiveDateTime)>> {
    so::table
        .filter(so::company_id.eq(company))
        .filter(diesel::dsl::not(
            so::status.eq_any([OrderStatus::Draft, OrderStatus::Cancelled]),
        ))
        .select((so::id, so::customer_id, so::total, so::created_at))
        .load(conn)
}

/// The orders with a line of this item.
pub fn orders_with_item(conn: &mut DbConnection, item_id: &str) -> QueryResult<Vec<String>> {
    ol::table
        .filter(ol::item_id.eq(item_id))
        .select(ol::order_id)
        .load(conn)
}

/// (order, item) of every line of the company's orders not cancelled.
pub fn order_items(conn: &mut DbConnection, company: &str) -> QueryResult<Vec<(String, ItemId)>> {
    ol::table
        .inner_join(so::table.on(so::id.eq(ol::order_id)))
        .filter(so::company_id.eq(company))
        .filter(so::status.ne(OrderStatus::Cancelled))
        .select((ol::order_id, ol::item_id))
        .load(conn)
}

/// The items on the customer's orders not cancelled (repeated per line).
pub fn items_bought_by(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<ItemId>> {
    ol::table
        .inner_join(so::table.on(so::id.eq(ol::order_id)))
        .filter(so::customer_id.eq(customer_id))
        .filter(so::status.ne(OrderStatus::Cancelled))
        .select(ol::item_id)
        .load(conn)
}

pub fn insert_campaign(conn: &mut DbConnection, row: &CampaignRow) -> QueryResult<()> {
    diesel::insert_into(cp::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find_campaign(
    conn: &mut DbConnection,
    id: &str,
    company: &str,
) -> QueryResult<Option<CampaignRow>> {
    cp::table
        .find(id)
        .filter(cp::company_id.eq(company))
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

/// The kind of each response recorded for a campaign.
pub fn responses(conn: &mut DbConnection, campaign_id: &str) -> QueryResult<Vec<String>> {
    cr::table
        .filter(cr::campaign_id.eq(campaign_id))
        .select(cr::response)
        .load(conn)
}

pub fn insert_response(conn: &mut DbConnection, row: &CampaignResponseRow) -> QueryResult<()> {
    diesel::insert_into(cr::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}
