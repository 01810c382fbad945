use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{crm_deliveries as dv, crm_outbox as ob, crm_webhooks as wh};
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::{DeliveryRow, OutboxRow, WebhookRow};
use crate::states::DeliveryStatus;

pub fn insert_webhook(conn: &mut DbConnection, w: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(wh::table)
        .values(w)
        .execute(conn)
        .map(|_| ())
}

pub fn webhooks(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<WebhookRow>> {
    wh::table
        .filter(wh::company_id.eq(company_id))
        .order(wh::created_at)
        .select(WebhookRow::as_select())
        .load(conn)
}

pub fn find_webhook(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookRow>> {
    wh::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

pub fn deactivate(conn: &mut DbConnection, id: &str, company_id: &str) -> QueryResult<bool> {
    diesel::update(wh::table.find(id).filter(wh::company_id.eq(company_id)))
        .set(wh::active.eq(false))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn insert_event(conn: &mut DbConnection, e: &OutboxRow) -> QueryResult<()> {
    diesel::insert_into(ob::table)
        .values(e)
        .execute(conn)
        .map(|_| ())
}

pub fn find_event(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OutboxRow>> {
    ob::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_delivery(conn: &mut DbConnection, d: &DeliveryRow) -> QueryResult<()> {
    diesel::insert_into(dv::table)
        .values(d)
        .execute(conn)
        .map(|_| ())
}

pub fn due(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    dv::table
        .filter(dv::status.eq(DeliveryStatus::Pending))
        .filter(dv::next_attempt_at.le(at))
        .order(dv::next_attempt_at)
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// Takes a due delivery for this dispatcher: moves its next attempt out of reach of others
/// if nobody took it first.
pub fn claim(conn: &mut DbConnection, d: &DeliveryRow, until: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        dv::table
            .filter(dv::id.eq(&d.id))
            .filter(dv::status.eq(DeliveryStatus::Pending))
            .filter(dv::next_attempt_at.eq(d.next_attempt_at)),
    )
    .set(dv::next_attempt_at.eq(until))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn save_delivery(conn: &mut DbConnection, d: &DeliveryRow) -> QueryResult<()> {
    diesel::update(dv::table.find(&d.id))
        .set((
            dv::status.eq(&d.status),
            dv::attempts.eq(d.attempts),
            dv::next_attempt_at.eq(d.next_attempt_at),
            dv::last_status.eq(d.last_status),
            dv::last_error.eq(&d.last_error),
            dv::delivered_at.eq(d.delivered_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A page of a webhook's deliveries, newest event first: each with its event's type and time.
pub fn log(
    conn: &mut DbConnection,
    webhook_id: &str,
    page: &KeyedPage,
) -> QueryResult<Vec<(DeliveryRow, String, NaiveDateTime)>> {
    let query = dv::table
        .inner_join(ob::table.on(ob::id.eq(dv::event_id)))
        .filter(dv::webhook_id.eq(webhook_id))
        .order((ob::created_at.desc(), dv::id.desc()))
        .limit(page.fetch_limit())
        .select((DeliveryRow::as_select(), ob::event_type, ob::created_at))
        .into_boxed();
    erp_core::after_key!(query, page, ob::created_at, dv::id, desc).load(conn)
}
