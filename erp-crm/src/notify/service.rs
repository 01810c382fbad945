use chrono::{DateTime, Utc};
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::schema::{
    crm_contacts as ct, crm_deliveries as dv, crm_message_templates as mt, crm_notifications as nt,
    partner_contacts as pc, partners,
};
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Money;
use erp_core::pagination::PageParams;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::access;
use crate::model::{MessageTemplateRow, NotificationRow, SalesOrderRow};

/// Order events a customer can be told about.
pub const EVENTS: &[&str] = &[
    "order.confirmed",
    "order.shipped",
    "order.delivered",
    "order.cancelled",
];

/// What a template may say: `{{name}}` is replaced by the order's value.
pub const PLACEHOLDERS: &[&str] = &[
    "customer_name",
    "order_number",
    "order_status",
    "order_total",
    "currency",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    /// `order.confirmed`, `order.shipped` (part delivered), `order.delivered`, `order.cancelled`.
    pub event: String,
    pub channel: Channel,
    /// Required for e-mail.
    pub subject: Option<String>,
    /// Text with placeholders: `{{customer_name}}`, `{{order_number}}`, `{{order_status}}`,
    /// `{{order_total}}`, `{{currency}}`.
    pub body: String,
    /// Default true; false keeps the template but sends nothing.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TemplateResponse {
    pub id: Uuid,
    pub event: String,
    pub channel: Channel,
    pub subject: Option<String>,
    pub body: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<TemplateResponse>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub customer_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
}

/// Where a notification stands: waiting at the gateway, delivered, failed there, or never sent
/// (`skipped_reason` says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    Pending,
    Delivered,
    Failed,
    Skipped,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationResponse {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub event: String,
    pub channel: Channel,
    /// The phone number or e-mail address it went to.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub status: NotificationStatus,
    /// Why it was skipped: no phone or e-mail on the card, no gateway subscribed.
    pub skipped_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub items: Vec<NotificationResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

/// What the gateway receives as the event's `data`.
#[derive(Debug, Serialize)]
struct GatewayMessage<'a> {
    notification_id: &'a str,
    channel: Channel,
    to: &'a str,
    subject: Option<&'a str>,
    body: &'a str,
    event: &'a str,
    customer_id: &'a str,
    order_id: Option<&'a str>,
}

fn template_response(t: &MessageTemplateRow) -> Result<TemplateResponse, AppError> {
    Ok(TemplateResponse {
        id: uuid_from_db(&t.id)?,
        event: t.event.clone(),
        channel: enum_from_db(&t.channel)?,
        subject: t.subject.clone(),
        body: t.body.clone(),
        active: t.active,
        updated_at: t.updated_at.and_utc(),
    })
}

/// The placeholder names a text uses, or the first malformed one as an error.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "a '{{' is not closed with '}}'".to_string())?;
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder '{{{{{name}}}}}'; known: {}",
                PLACEHOLDERS.join(", ")
            ));
        }
        out.push(name);
        rest = &after[end + 2..];
    }
    Ok(out)
}

fn render(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        if let Some((_, v)) = values.iter().find(|(k, _)| *k == name) {
            out.push_str(v);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

pub fn save_message_template(
    conn: &mut DbConnection,
    actor: &Actor,
    req: TemplateRequest,
) -> Result<TemplateResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    let mut v = Validator::new();
    v.check(
        EVENTS.contains(&req.event.as_str()),
        "event",
        "one of order.confirmed, order.shipped, order.delivered, order.cancelled",
    );
    let max = match req.channel {
        Channel::Sms => 1_600,
        Channel::Email => 20_000,
    };
    v.text("body", &req.body, max);
    if let Err(e) = placeholders(&req.body) {
        v.add("body", e);
    }
    match (&req.subject, req.channel) {
        (Some(s), _) => {
            v.text("subject", s, 200);
            if let Err(e) = placeholders(s) {
                v.add("subject", e);
            }
        }
        (None, Channel::Email) => v.add("subject", "an e-mail needs a subject"),
        (None, Channel::Sms) => {}
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let channel = enum_to_db(&req.channel);
        let existing: Option<MessageTemplateRow> = mt::table
            .filter(mt::company_id.eq(&company))
            .filter(mt::event.eq(&req.event))
            .filter(mt::channel.eq(&channel))
            .select(MessageTemplateRow::as_select())
            .first(conn)
            .optional()?;
        let t = MessageTemplateRow {
            id: existing.as_ref().map_or_else(new_id, |t| t.id.clone()),
            company_id: company,
            event: req.event.clone(),
            channel,
            subject: req.subject.clone(),
            body: req.body.clone(),
            active: req.active.unwrap_or(true),
            updated_at: now(),
        };
        match &existing {
            Some(_) => {
                diesel::update(mt::table.find(&t.id))
                    .set((
                        mt::subject.eq(&t.subject),
                        mt::body.eq(&t.body),
                        mt::active.eq(t.active),
                        mt::updated_at.eq(t.updated_at),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(mt::table).values(&t).execute(conn)?;
            }
        }
        let out = template_response(&t)?;
        let before = existing.as_ref().map(template_response).transpose()?;
        audit::record(
            conn,
            actor,
            "message_template",
            &t.id,
            Change::saved(before.as_ref(), &out),
        )?;
        Ok(out)
    })
}

pub fn list_message_templates(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<TemplateList, AppError> {
    actor.require(access::CONFIGURE)?;
    let rows: Vec<MessageTemplateRow> = mt::table
        .filter(mt::company_id.eq(actor.company_id.to_db()))
        .order((mt::event, mt::channel))
        .select(MessageTemplateRow::as_select())
        .load(conn)?;
    Ok(TemplateList {
        items: rows
            .iter()
            .map(template_response)
            .collect::<Result<_, _>>()?,
    })
}

/// The customer's phone or e-mail: the primary one on the card, else the first, else the
/// first contact person's.
fn recipient(
    conn: &mut DbConnection,
    customer_id: &str,
    channel: Channel,
) -> QueryResult<Option<String>> {
    let kind = match channel {
        Channel::Sms => "phone",
        Channel::Email => "email",
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
    Ok(match channel {
        Channel::Sms => person
            .filter(ct::phone.is_not_null())
            .select(ct::phone)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
        Channel::Email => person
            .filter(ct::email.is_not_null())
            .select(ct::email)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
    })
}

/// Renders the active templates for an order event into notifications, in the transaction
/// of the change; each goes to the outbox for the gateway, or is recorded as skipped.
pub fn order_event(
    conn: &mut DbConnection,
    o: &SalesOrderRow,
    event: &str,
) -> Result<(), AppError> {
    let templates: Vec<MessageTemplateRow> = mt::table
        .filter(mt::company_id.eq(&o.company_id))
        .filter(mt::event.eq(event))
        .filter(mt::active.eq(true))
        .select(MessageTemplateRow::as_select())
        .load(conn)?;
    if templates.is_empty() {
        return Ok(());
    }
    let customer_name: String = partners::table
        .find(&o.customer_id)
        .select(partners::name)
        .first(conn)?;
    let values = [
        ("customer_name", customer_name),
        ("order_number", o.number.clone()),
        ("order_status", o.status.replace('_', " ")),
        ("order_total", Money::from_scaled(o.total).to_string()),
        ("currency", o.currency.clone()),
    ];
    for t in templates {
        let channel: Channel = enum_from_db(&t.channel)?;
        let to = recipient(conn, &o.customer_id, channel)?;
        let id = new_id();
        let body = render(&t.body, &values);
        let subject = t.subject.as_deref().map(|s| render(s, &values));
        let event_type = format!("notification.{}", t.channel);
        let mut outbox_id = None;
        let skipped_reason = match &to {
            None => Some(match channel {
                Channel::Sms => "the customer has no phone number".to_string(),
                Channel::Email => "the customer has no e-mail address".to_string(),
            }),
            Some(to) => {
                let sent = crate::webhook::service::emit(
                    conn,
                    &o.company_id,
                    &event_type,
                    &GatewayMessage {
                        notification_id: &id,
                        channel,
                        to,
                        subject: subject.as_deref(),
                        body: &body,
                        event,
                        customer_id: &o.customer_id,
                        order_id: Some(&o.id),
                    },
                )?;
                outbox_id = sent;
                outbox_id
                    .is_none()
                    .then(|| format!("no gateway is subscribed to {event_type}"))
            }
        };
        diesel::insert_into(nt::table)
            .values(&NotificationRow {
                id,
                company_id: o.company_id.clone(),
                customer_id: o.customer_id.clone(),
                order_id: Some(o.id.clone()),
                event: event.to_string(),
                channel: t.channel.clone(),
                recipient: to,
                subject,
                body,
                outbox_id,
                skipped_reason,
                created_at: now(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Notifications of a customer or order (the actor's customers; everyone's with `crm.all`),
/// with where each stands at the gateway.
pub fn list_notifications(
    conn: &mut DbConnection,
    actor: &Actor,
    q: NotificationQuery,
    page: PageParams,
) -> Result<NotificationList, AppError> {
    actor.require(access::READ)?;
    let page = page.validate()?;
    let company = actor.company_id.to_db();
    let query = nt::table
        .filter(nt::company_id.eq(&company))
        .order((nt::created_at.desc(), nt::id.desc()))
        .limit(page.fetch_limit())
        .select(NotificationRow::as_select())
        .into_boxed();
    let mut query = erp_core::after_key!(query, page, nt::created_at, nt::id, desc);
    if let Some(c) = q.customer_id {
        query = query.filter(nt::customer_id.eq(c.to_string()));
    }
    if let Some(o) = q.order_id {
        query = query.filter(nt::order_id.eq(o.to_string()));
    }
    if let Some(owners) = access::visible_owners(conn, actor)? {
        let mine = access::customers_of_owners(conn, &company, &owners)?;
        query = query.filter(nt::customer_id.eq_any(mine));
    }
    let rows: Vec<NotificationRow> = query.load(conn)?;
    let (rows, next_cursor) =
        page.finish(rows, |n: &NotificationRow| (n.created_at, n.id.as_str()));
    // The gateway deliveries of all listed messages, read at once.
    let events: Vec<&String> = rows.iter().filter_map(|n| n.outbox_id.as_ref()).collect();
    let mut states: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (event, state) in dv::table
        .filter(dv::event_id.eq_any(events))
        .select((dv::event_id, dv::status))
        .load::<(String, String)>(conn)?
    {
        states.entry(event).or_default().push(state);
    }
    let items = rows
        .iter()
        .map(|n| {
            let status = match n.outbox_id.as_ref().map(|e| states.get(e)) {
                None => NotificationStatus::Skipped,
                Some(Some(s)) if s.iter().any(|s| s == "delivered") => {
                    NotificationStatus::Delivered
                }
                Some(Some(s)) if s.iter().all(|s| s == "failed") => NotificationStatus::Failed,
                Some(_) => NotificationStatus::Pending,
            };
            Ok(NotificationResponse {
                id: uuid_from_db(&n.id)?,
                customer_id: uuid_from_db(&n.customer_id)?,
                order_id: n.order_id.as_deref().map(uuid_from_db).transpose()?,
                event: n.event.clone(),
                channel: enum_from_db(&n.channel)?,
                recipient: n.recipient.clone(),
                subject: n.subject.clone(),
                body: n.body.clone(),
                status,
                skipped_reason: n.skipped_reason.clone(),
                created_at: n.created_at.and_utc(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(NotificationList { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_placeholders_and_refuses_unknown_ones() {
        let values = [
            ("order_number", "SO-1".to_string()),
            ("currency", "EUR".into()),
        ];
        assert_eq!(
            render(
                "Order {{order_number}} ({{ currency }}) is on its way",
                &values
            ),
            "Order SO-1 (EUR) is on its way"
        );
        assert_eq!(
            placeholders("{{order_total}} {{currency}}"),
            Ok(vec!["order_total", "currency"])
        );
        assert!(placeholders("{{password}}")
            .unwrap_err()
            .contains("unknown placeholder"));
        assert!(placeholders("{{order_number").is_err());
    }
}
