use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use erp_core::pagination::PageParams;
use serde::Serialize;

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::{NotificationId, SalesOrderId, TemplateId};
use crate::model::{MessageTemplateRow, NotificationRow, SalesOrderRow};

/// What a template may say: `{{name}}` is replaced by the order's value.
pub const PLACEHOLDERS: &[&str] = &[
    "customer_name",
    "order_number",
    "order_status",
    "order_total",
    "currency",
];

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
        id: TemplateId::from_db(&t.id)?,
        event: enum_from_db(&t.event)?,
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
        let event = enum_to_db(&req.event);
        let existing = repo::template(conn, &company, &event, &channel)?;
        let t = MessageTemplateRow {
            id: existing.as_ref().map_or_else(new_id, |t| t.id.clone()),
            company_id: company,
            event,
            channel,
            subject: req.subject.clone(),
            body: req.body.clone(),
            active: req.active.unwrap_or(true),
            updated_at: now(),
        };
        match &existing {
            Some(_) => repo::update_template(conn, &t)?,
            None => repo::insert_template(conn, &t)?,
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
    let rows = repo::templates(conn, &actor.company_id.to_db())?;
    Ok(TemplateList {
        items: rows
            .iter()
            .map(template_response)
            .collect::<Result<_, _>>()?,
    })
}

/// Renders the active templates for an order event into notifications, in the transaction
/// of the change; each goes to the outbox for the gateway, or is recorded as skipped.
pub fn order_event(
    conn: &mut DbConnection,
    o: &SalesOrderRow,
    event: &str,
) -> Result<(), AppError> {
    let templates = repo::active_templates(conn, &o.company_id, event)?;
    if templates.is_empty() {
        return Ok(());
    }
    let customer_name = repo::partner_name(conn, &o.customer_id)?;
    let values = [
        ("customer_name", customer_name),
        ("order_number", o.number.clone()),
        ("order_status", o.status.as_str().replace('_', " ")),
        ("order_total", Money::from_scaled(o.total).to_string()),
        ("currency", o.currency.clone()),
    ];
    for t in templates {
        let channel: Channel = enum_from_db(&t.channel)?;
        let to = repo::recipient(
            conn,
            &o.customer_id,
            match channel {
                Channel::Sms => repo::Reach::Phone,
                Channel::Email => repo::Reach::Email,
            },
        )?;
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
        repo::insert_notification(
            conn,
            &NotificationRow {
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
            },
        )?;
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
    access::customer_filter(conn, actor, q.customer_id)?;
    filter::names(q.order_id, |o| {
        let customer = repo::order_customer(conn, &company, &o.to_string())?
            .ok_or(AppError::NotFound("sales_order"))?;
        access::check_record(conn, actor, &customer, &company, false, "sales_order")
    })?;
    let customers = access::visible_customers(conn, actor)?;
    let filter = repo::NotificationFilter {
        customer_id: q.customer_id.map(|c| c.to_string()),
        order_id: q.order_id.map(|o| o.to_string()),
        customers,
    };
    let rows = repo::notifications_page(conn, &company, &filter, &page)?;
    let (rows, next_cursor) =
        page.finish(rows, |n: &NotificationRow| (n.created_at, n.id.as_str()));
    // The gateway deliveries of all listed messages, read at once.
    let events: Vec<&String> = rows.iter().filter_map(|n| n.outbox_id.as_ref()).collect();
    let mut states: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (event, state) in repo::delivery_states(conn, &events)? {
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
                id: NotificationId::from_db(&n.id)?,
                customer_id: PartnerId::from_db(&n.customer_id)?,
                order_id: SalesOrderId::from_db_opt(n.order_id.as_deref())?,
                event: enum_from_db(&n.event)?,
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
