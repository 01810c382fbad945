//! The customer's history: interactions, deals with their stages and changes, tasks, quotes
//! and orders with every step of their life (from the audit trail, with who took it),
//! tickets, invoices and payments, in time order.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::{uuid_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::UserId;

use erp_core::ids::PartnerId;
use erp_core::pagination::every_page;
use erp_finance::invoice::dto::{InvoiceKind, InvoiceListQuery, InvoiceResponse, InvoiceStatus};
use erp_finance::invoice::service as finance_invoice;
use erp_finance::payment::dto::{PaymentKind, PaymentListQuery, PaymentResponse};
use erp_finance::payment::service as finance_payment;

use super::dto::{Timeline, TimelineEntry, TimelineKind, TimelineReference};
use crate::customer::service::load_readable;
use crate::states::DealStatus;
use crate::{deal, interaction, task};

/// An entry of the timeline; `reference_id` and `user` as stored.
fn entry(
    at: chrono::NaiveDateTime,
    kind: TimelineKind,
    summary: String,
    reference_type: TimelineReference,
    reference_id: &str,
    user: Option<&str>,
) -> Result<TimelineEntry, AppError> {
    Ok(TimelineEntry {
        at: at.and_utc(),
        kind,
        summary,
        reference_type,
        reference_id: uuid_from_db(reference_id)?,
        user_id: user.map(UserId::from_db).transpose()?,
    })
}

type Entries = Vec<TimelineEntry>;

/// The customer's history, in time order: what happened to them in every module the caller
/// may read.
pub fn timeline(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
) -> Result<Timeline, AppError> {
    let c = load_readable(conn, actor, id)?;
    let customer = c.partner_id.as_str();
    let mut entries = Vec::new();
    interactions(conn, customer, &mut entries)?;
    deals(conn, &c.company_id, customer, &mut entries)?;
    tasks(conn, customer, &mut entries)?;
    timesheets(conn, customer, &mut entries)?;
    orders(conn, customer, &mut entries)?;
    quotes(conn, customer, &mut entries)?;
    tickets(conn, customer, &mut entries)?;
    if actor.can(finance_invoice::READ) {
        invoices(conn, actor, customer, &mut entries)?;
    }
    if actor.can(finance_payment::READ) {
        receipts(conn, actor, customer, &mut entries)?;
    }
    entries.sort_by_key(|e| e.at);
    Ok(Timeline {
        customer_id: id,
        entries,
    })
}

/// Calls, meetings and messages, with their outcome.
fn interactions(
    conn: &mut DbConnection,
    customer: &str,
    out: &mut Entries,
) -> Result<(), AppError> {
    for i in interaction::repo::of_customer(conn, customer)? {
        let detail = [
            i.outcome.as_deref(),
            i.topic.as_deref(),
            i.result.as_deref(),
            i.body.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        out.push(entry(
            i.occurred_at,
            TimelineKind::Interaction,
            format!("{}: {detail}", i.kind),
            TimelineReference::Interaction,
            &i.id,
            Some(&i.user_id),
        )?);
    }
    Ok(())
}

/// Each deal's creation, changes of its fields and moves through the stages to won or lost.
fn deals(
    conn: &mut DbConnection,
    company: &str,
    customer: &str,
    out: &mut Entries,
) -> Result<(), AppError> {
    let stages: HashMap<String, String> = crate::stage::repo::stages(conn, company)?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    let deals = deal::repo::of_customer(conn, customer)?;
    let ids: Vec<String> = deals.iter().map(|d| d.id.clone()).collect();
    let mut changes = deal::repo::field_changes(conn, &ids)?;
    let mut histories = deal::repo::history(conn, &ids)?;
    for d in deals {
        for ch in changes.remove(&d.id).unwrap_or_default() {
            out.push(entry(
                ch.changed_at,
                TimelineKind::DealChanged,
                format!(
                    "{}: {} {} -> {}",
                    d.title,
                    ch.field,
                    ch.old_value.unwrap_or_else(|| "-".into()),
                    ch.new_value.unwrap_or_else(|| "-".into())
                ),
                TimelineReference::Deal,
                &d.id,
                Some(&ch.user_id),
            )?);
        }
        for (n, h) in histories
            .remove(&d.id)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let stage = stages.get(&h.to_stage_id).cloned().unwrap_or_default();
            let (kind, summary) = match (n, stage.as_str()) {
                (0, _) => (
                    TimelineKind::DealCreated,
                    format!(
                        "{} ({} {}) in {stage}",
                        d.title,
                        erp_core::money::Money::from_scaled(d.value),
                        d.currency
                    ),
                ),
                _ if h.to_stage_id == d.stage_id && d.status == DealStatus::Won => {
                    (TimelineKind::DealWon, d.title.clone())
                }
                _ if h.to_stage_id == d.stage_id && d.status == DealStatus::Lost => (
                    TimelineKind::DealLost,
                    format!("{}: {}", d.title, d.lost_reason.clone().unwrap_or_default()),
                ),
                _ => (TimelineKind::DealStage, format!("{} to {stage}", d.title)),
            };
            out.push(entry(
                h.changed_at,
                kind,
                summary,
                TimelineReference::Deal,
                &d.id,
                Some(&h.user_id),
            )?);
        }
    }
    Ok(())
}

/// Tasks set and done.
fn tasks(conn: &mut DbConnection, customer: &str, out: &mut Entries) -> Result<(), AppError> {
    for t in task::repo::of_customer(conn, customer)? {
        out.push(entry(
            t.created_at,
            TimelineKind::TaskCreated,
            format!("{} (due {})", t.title, t.due_at.and_utc().to_rfc3339()),
            TimelineReference::Task,
            &t.id,
            Some(&t.created_by),
        )?);
        if let (Some(done), "done") = (t.done_at, t.status.as_str()) {
            out.push(entry(
                done,
                TimelineKind::TaskDone,
                t.title.clone(),
                TimelineReference::Task,
                &t.id,
                Some(&t.assignee_id),
            )?);
        }
    }
    Ok(())
}

/// Hours booked to the customer.
fn timesheets(conn: &mut DbConnection, customer: &str, out: &mut Entries) -> Result<(), AppError> {
    for t in erp_hr::timesheet::service::of_customer(conn, customer)? {
        let on = match t.deal_id {
            Some(d) => format!(" on deal {d}"),
            None => String::new(),
        };
        let note = t
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        out.push(TimelineEntry {
            at: t
                .work_date
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc(),
            kind: TimelineKind::Timesheet,
            summary: format!("{} hours by {}{on}{note}", t.hours, t.employee_name),
            reference_type: TimelineReference::Timesheet,
            reference_id: t.id.0,
            user_id: None,
        });
    }
    Ok(())
}

/// Sales orders, and each later step of an order, when it was taken and by whom.
fn orders(conn: &mut DbConnection, customer: &str, out: &mut Entries) -> Result<(), AppError> {
    let orders = crate::order::repo::of_customer(conn, customer)?;
    for o in &orders {
        let summary = format!(
            "{} ({} {})",
            o.number,
            erp_core::money::Money::from_scaled(o.total),
            o.currency
        );
        out.push(entry(
            o.created_at,
            TimelineKind::Order,
            summary,
            TimelineReference::SalesOrder,
            &o.id,
            Some(&o.created_by),
        )?);
    }
    let numbers: HashMap<String, String> = orders
        .iter()
        .map(|o| (o.id.clone(), o.number.clone()))
        .collect();
    let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
    for ev in erp_core::audit::repo::of_entities(conn, "sales_order", &ids)? {
        let kind = match ev.action.as_str() {
            "create" | "update" | "delete" => continue,
            // A delivery that leaves something to deliver is a partial one.
            "deliver" if status_after(&ev) == Some("partially_delivered".into()) => {
                TimelineKind::OrderPartiallyDelivered
            }
            "deliver" => TimelineKind::OrderDelivered,
            "confirm" => TimelineKind::OrderConfirmed,
            "cancel" => TimelineKind::OrderCancelled,
            "invoice" => TimelineKind::OrderInvoiced,
            _ => continue,
        };
        out.push(entry(
            ev.occurred_at,
            kind,
            numbers.get(&ev.entity_id).cloned().unwrap_or_default(),
            TimelineReference::SalesOrder,
            &ev.entity_id,
            ev.actor_id.as_deref(),
        )?);
    }
    Ok(())
}

/// Each step of the customer's quotes, from the audit trail.
fn quotes(conn: &mut DbConnection, customer: &str, out: &mut Entries) -> Result<(), AppError> {
    let quotes = crate::quote::repo::of_customer(conn, customer)?;
    let numbers: HashMap<String, String> = quotes
        .iter()
        .map(|q| (q.id.clone(), q.number.clone()))
        .collect();
    let ids: Vec<String> = quotes.iter().map(|q| q.id.clone()).collect();
    for ev in erp_core::audit::repo::of_entities(conn, "quote", &ids)? {
        let kind = match ev.action.as_str() {
            "create" => TimelineKind::QuoteCreated,
            "send" => TimelineKind::QuoteSent,
            "accept" => TimelineKind::QuoteAccepted,
            "reject" => TimelineKind::QuoteRejected,
            "order" => TimelineKind::QuoteOrdered,
            _ => continue,
        };
        out.push(entry(
            ev.occurred_at,
            kind,
            numbers.get(&ev.entity_id).cloned().unwrap_or_default(),
            TimelineReference::Quote,
            &ev.entity_id,
            ev.actor_id.as_deref(),
        )?);
    }
    Ok(())
}

/// Complaints and service requests opened and resolved, and by whom.
fn tickets(conn: &mut DbConnection, customer: &str, out: &mut Entries) -> Result<(), AppError> {
    let tickets = crate::ticket::repo::of_customer(conn, customer)?;
    let ids: Vec<String> = tickets.iter().map(|t| t.id.clone()).collect();
    let by = who_did(conn, "ticket", &ids)?;
    for t in tickets {
        let who = |action: &str| by.get(&(t.id.clone(), action.to_string())).cloned();
        out.push(entry(
            t.created_at,
            match t.kind.as_str() {
                "complaint" => TimelineKind::ComplaintOpened,
                _ => TimelineKind::ServiceOpened,
            },
            t.subject.clone(),
            TimelineReference::Ticket,
            &t.id,
            who("create").as_deref(),
        )?);
        if let Some(r) = t.resolved_at {
            out.push(entry(
                r,
                TimelineKind::TicketResolved,
                t.resolution.clone().unwrap_or_default(),
                TimelineReference::Ticket,
                &t.id,
                who("resolve").as_deref(),
            )?);
        }
    }
    Ok(())
}

/// Invoices and credit notes issued, and cancelled.
fn invoices(
    conn: &mut DbConnection,
    actor: &Actor,
    customer: &str,
    out: &mut Entries,
) -> Result<(), AppError> {
    let documents = customer_documents(conn, actor, customer)?;
    let ids: Vec<String> = documents.iter().map(|d| d.id.to_db()).collect();
    let by = who_did(conn, "fin_invoice", &ids)?;
    for d in documents {
        let (kind, cancelled) = match d.kind {
            InvoiceKind::CustomerInvoice => (TimelineKind::Invoice, TimelineKind::InvoiceCancelled),
            _ => (TimelineKind::CreditNote, TimelineKind::CreditNoteCancelled),
        };
        let number = d.number.clone().unwrap_or_default();
        let summary = format!(
            "{number} ({} {}, due {}, open {})",
            d.total, d.currency, d.due_date, d.open_amount
        );
        let id = d.id.to_db();
        let who = |action: &str| by.get(&(id.clone(), action.to_string())).cloned();
        out.push(entry(
            d.created_at.naive_utc(),
            kind,
            summary,
            TimelineReference::Invoice,
            &id,
            who("create").as_deref(),
        )?);
        if d.status == InvoiceStatus::Cancelled {
            out.push(entry(
                d.updated_at.naive_utc(),
                cancelled,
                number,
                TimelineReference::Invoice,
                &id,
                who("cancel").as_deref(),
            )?);
        }
    }
    Ok(())
}

/// Payments received from the customer.
fn receipts(
    conn: &mut DbConnection,
    actor: &Actor,
    customer: &str,
    out: &mut Entries,
) -> Result<(), AppError> {
    let receipts = customer_receipts(conn, actor, customer)?;
    let ids: Vec<String> = receipts.iter().map(|p| p.id.to_db()).collect();
    let by = who_did(conn, "fin_payment", &ids)?;
    for p in receipts {
        let summary = format!(
            "{} ({} {}, unallocated {})",
            p.number.clone().unwrap_or_default(),
            p.amount,
            p.currency,
            p.unallocated
        );
        let id = p.id.to_db();
        out.push(entry(
            p.created_at.naive_utc(),
            TimelineKind::Payment,
            summary,
            TimelineReference::Payment,
            &id,
            by.get(&(id.clone(), "create".to_string()))
                .map(String::as_str),
        )?);
    }
    Ok(())
}

/// Who first took each step of these records, by (record, action), from the audit trail.
fn who_did(
    conn: &mut DbConnection,
    entity_type: &str,
    ids: &[String],
) -> Result<HashMap<(String, String), String>, AppError> {
    let mut by = HashMap::new();
    for ev in erp_core::audit::repo::of_entities(conn, entity_type, ids)? {
        if let Some(actor) = ev.actor_id {
            by.entry((ev.entity_id, ev.action)).or_insert(actor);
        }
    }
    Ok(by)
}

/// The status a document had after an audited step, from the response the step recorded.
fn status_after(ev: &erp_core::audit::model::AuditEvent) -> Option<String> {
    let after: serde_json::Value = serde_json::from_str(ev.after_data.as_deref()?).ok()?;
    after["status"].as_str().map(str::to_string)
}

/// The customer's posted and cancelled invoices and credit notes (drafts are internal).
fn customer_documents(
    conn: &mut DbConnection,
    actor: &Actor,
    partner: &str,
) -> Result<Vec<InvoiceResponse>, AppError> {
    let partner = PartnerId::from_db(partner)?;
    let all = every_page(|params| {
        let q = InvoiceListQuery {
            partner_id: Some(partner),
            ..Default::default()
        };
        let page = finance_invoice::list_invoices(conn, actor, params, q)?;
        Ok((page.items, page.next_cursor))
    })?;
    Ok(all
        .into_iter()
        .filter(|d| d.kind.is_customer() && d.status != InvoiceStatus::Draft)
        .collect())
}

/// The customer's receipts.
fn customer_receipts(
    conn: &mut DbConnection,
    actor: &Actor,
    partner: &str,
) -> Result<Vec<PaymentResponse>, AppError> {
    let partner = PartnerId::from_db(partner)?;
    every_page(|params| {
        let q = PaymentListQuery {
            kind: Some(PaymentKind::CustomerReceipt),
            partner_id: Some(partner),
            ..Default::default()
        };
        let page = finance_payment::list_payments(conn, actor, params, q)?;
        Ok((page.items, page.next_cursor))
    })
}
