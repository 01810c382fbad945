//! Queries of message templates, notifications and where to send them.

use diesel::prelude::*;
use erp_core::db::schema::{
    crm_contacts as ct, crm_deliveries as dv, crm_message_templates as mt, crm_notifications as nt,
    crm_sales_orders as so, partner_contacts as pc, partners,
};
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::{MessageTemplateRow, NotificationRow};

/// The company's template for an event and channel, if there is one.
pub fn template(
    conn: &mut DbConnection,
    company: &str,
    event: &str,
    channel: &str,
) -> QueryResult<Option<MessageTemplateRow>> {
    mt::table
        .filter(mt::company_id.eq(company))
        .filter(mt::event.eq(event))
        .filter(mt::channel.eq(channel))
        .select(MessageTemplateRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_template(conn: &mut DbConnection, t: &MessageTemplateRow) -> QueryResult<()> {
    diesel::insert_into(mt::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

/// Writes a template's subject, body and whether it is active.
pub fn update_template(conn: &mut DbConnection, t: &MessageTemplateRow) -> QueryResult<()> {
    diesel::update(mt::table.find(&t.id))
        .set((
            mt::subject.eq(&t.subject),
            mt::body.eq(&t.body),
            mt::active.eq(t.active),
            mt::updated_at.eq(t.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The company's templates by event and channel.
pub fn templates(conn: &mut DbConnection, company: &str) -> QueryResult<Vec<MessageTemplateRow>> {
    mt::table
        .filter(mt::company_id.eq(company))
        .order((mt::event, mt::channel))
        .select(MessageTemplateRow::as_select())
        .load(conn)
}

/// The company's active templates for an event.
pub fn active_templates(
    conn: &mut DbConnection,
    company: &str,
    event: &str,
) -> QueryResult<Vec<MessageTemplateRow>> {
    mt::table
        .filter(mt::company_id.eq(company))
        .filter(mt::event.eq(event))
        .filter(mt::active.eq(true))
        .select(MessageTemplateRow::as_select())
        .load(conn)
}

/// The customer of a sales order of the company, if the order exists (the list's `order_id`
/// filter; asked here because orders send notifications, so `order` cannot be asked by us).
pub fn order_customer(
    conn: &mut DbConnection,
    company: &str,
    order_id: &str,
) -> QueryResult<Option<String>> {
    so::table
        .filter(so::id.eq(order_id).and(so::company_id.eq(company)))
        .select(so::customer_id)
        .first(conn)
        .optional()
}

pub fn partner_name(conn: &mut DbConnection, partner_id: &str) -> QueryResult<String> {
    partners::table
        .find(partner_id)
        .select(partners::name)
        .first(conn)
}

/// How a customer is reached.
#[derive(Clone, Copy)]
pub enum Reach {
    Phone,
    Email,
}

/// The customer's phone or e-mail: the primary one on the card, else the first, else the
/// first contact person's.
pub fn recipient(
    conn: &mut DbConnection,
    customer_id: &str,
    reach: Reach,
) -> QueryResult<Option<String>> {
    let kind = match reach {
        Reach::Phone => "phone",
        Reach::Email => "email",
    };
    let on_card: Option<String> = pc::table
        .filter(pc::partner_id.eq(customer_id))
        .filter(pc::channel.eq(kind))
        .order((pc::is_primary.desc(), pc::position))
        .select(pc::value)
        .first(conn)
        .optional()?;
    if on_card.is_some() {
        return Ok(on_card);
    }
    let person = ct::table
        .filter(ct::customer_id.eq(customer_id))
        .order(ct::created_at);
    Ok(match reach {
        Reach::Phone => person
            .filter(ct::phone.is_not_null())
            .select(ct::phone)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
        Reach::Email => person
            .filter(ct::email.is_not_null())
            .select(ct::email)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
    })
}

pub fn insert_notification(conn: &mut DbConnection, n: &NotificationRow) -> QueryResult<()> {
    diesel::insert_into(nt::table)
        .values(n)
        .execute(conn)
        .map(|_| ())
}

/// What a list of notifications is narrowed to.
pub struct NotificationFilter {
    pub customer_id: Option<String>,
    pub order_id: Option<String>,
    /// Only notifications to these customers (the caller's scope); all when `None`.
    pub customers: Option<Vec<String>>,
}

/// A page of the company's notifications, newest first.
pub fn notifications_page(
    conn: &mut DbConnection,
    company: &str,
    f: &NotificationFilter,
    page: &KeyedPage,
) -> QueryResult<Vec<NotificationRow>> {
    let query = nt::table
        .filter(nt::company_id.eq(company))
        .order((nt::created_at.desc(), nt::id.desc()))
        .limit(page.fetch_limit())
        .select(NotificationRow::as_select())
        .into_boxed();
    let mut query = erp_core::after_key!(query, page, nt::created_at, nt::id, desc);
    if let Some(c) = &f.customer_id {
        query = query.filter(nt::customer_id.eq(c.clone()));
    }
    if let Some(o) = &f.order_id {
        query = query.filter(nt::order_id.eq(o.clone()));
    }
    if let Some(mine) = &f.customers {
        query = query.filter(nt::customer_id.eq_any(mine.clone()));
    }
    query.load(conn)
}

/// (outbox event, delivery status) of each gateway delivery of these events.
pub fn delivery_states(
    conn: &mut DbConnection,
    events: &[&String],
) -> QueryResult<Vec<(String, String)>> {
    dv::table
        .filter(dv::event_id.eq_any(events))
        .select((dv::event_id, dv::status))
        .load(conn)
}
