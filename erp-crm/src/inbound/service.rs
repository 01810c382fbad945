//! Calls reported by the telephony system, leads from the web form, e-mails from the mail
//! gateway.

use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{PartnerId, UserId};
use erp_core::partner::dto::{ContactPointDto, CreatePartnerRequest, PartnerKind, PartnerRole};
use erp_core::partner::service::{create_partner_unchecked, normalize_phone};
use erp_core::phone::Dialling;

use super::dto::*;
use super::repo::find_customer;
use crate::access;
use crate::automation::service::{next_owner, unknown_caller_rule};
use crate::customer::repo as customer_repo;
use crate::interaction::dto::InteractionKind;
use crate::interaction::service as interaction;
use crate::model::{CustomerRow, InteractionRow, RuleRow};
use crate::states::CustomerStatus;
use crate::task::{dto::Priority, repo as task_repo, service::new_task};

/// A customer's partner to create from what an inbound message tells about the sender.
pub(super) fn sender_partner(
    kind: PartnerKind,
    name: String,
    phone: Option<&str>,
    email: Option<&str>,
) -> CreatePartnerRequest {
    let point = |value: &str| ContactPointDto {
        label: None,
        value: value.trim().to_string(),
        is_primary: true,
    };
    CreatePartnerRequest {
        id: None,
        kind,
        name: Some(name),
        legal_name: None,
        first_name: None,
        last_name: None,
        tax_id: None,
        registration_number: None,
        website: None,
        notes: None,
        roles: vec![PartnerRole::Customer],
        addresses: vec![],
        phones: phone.into_iter().map(point).collect(),
        emails: email.into_iter().map(point).collect(),
    }
}

/// A lead made by the unknown-caller rule `rule` (calls and e-mails from nobody known), with
/// the rule's follow-up task for its owner when the rule names one.
pub(super) fn lead_by_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    rule: &RuleRow,
    partner: CreatePartnerRequest,
    source: &str,
    why: String,
) -> Result<CustomerRow, AppError> {
    let c = new_lead(conn, actor, partner, source)?;
    if let (Some(title), Some(owner)) = (&rule.task_title, &c.owner_id) {
        let t = new_task(
            &c.company_id,
            title,
            Some(why),
            now() + chrono::Duration::days(i64::from(rule.days)),
            Priority::High,
            owner,
            Some(c.partner_id.clone()),
            None,
            &actor.user_id.to_db(),
        );
        task_repo::insert(conn, &t)?;
    }
    Ok(c)
}

/// A new lead card with its partner, owned by the next manager of the assignment (or the
/// caller).
fn new_lead(
    conn: &mut DbConnection,
    actor: &Actor,
    partner: CreatePartnerRequest,
    source: &str,
) -> Result<CustomerRow, AppError> {
    let p = create_partner_unchecked(conn, actor, partner)?;
    let company = actor.company_id.to_db();
    let owner = next_owner(conn, &company, None)?.unwrap_or_else(|| actor.user_id.to_db());
    let at = now();
    let c = CustomerRow {
        partner_id: p.id.to_db(),
        company_id: company,
        status: CustomerStatus::Lead,
        source: Some(source.to_string()),
        owner_id: Some(owner),
        segment: None,
        region: None,
        tags: "[]".into(),
        attributes: "{}".into(),
        last_contact_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    customer_repo::insert(conn, &c)?;
    crate::webhook::service::emit(
        conn,
        &c.company_id,
        "customer.created",
        &serde_json::json!({"id": c.partner_id, "status": c.status, "source": c.source, "owner_id": c.owner_id}),
    )?;
    Ok(c)
}

/// Logs a call the telephony system reports against the customer with that number; an
/// unknown number becomes a lead when an unknown-caller rule says so.
pub fn call_event(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CallEvent,
) -> Result<CallLogged, AppError> {
    actor.require(access::INBOUND)?;
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    let mut v = Validator::new();
    if let Err(why) = dialling.e164(&req.phone) {
        v.add("phone", why);
    }
    v.check(
        (0..=86_400).contains(&req.duration_seconds),
        "duration_seconds",
        "must be between 0 and 86400",
    );
    v.opt_text("note", req.note.as_deref(), 5000);
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let (c, created) = match find_customer(conn, &company, Some(&req.phone), None)? {
            Some(c) => (c, false),
            None => {
                let Some(rule) = unknown_caller_rule(conn, &company)? else {
                    return Err(AppError::field(
                        "phone",
                        "no customer has this number (and no unknown-caller rule makes leads)",
                    ));
                };
                let partner = sender_partner(
                    PartnerKind::Person,
                    format!("Caller {}", req.phone.trim()),
                    Some(&req.phone),
                    None,
                );
                let why = format!("new lead from a call by {}", req.phone.trim());
                let c = lead_by_rule(conn, actor, &rule, partner, "telephony", why)?;
                (c, true)
            }
        };
        let outcomes = interaction::outcomes(conn, &company)?;
        let outcome = match &req.outcome {
            Some(o) if outcomes.iter().any(|x| x.active && &x.code == o) => o.clone(),
            Some(_) => {
                return Err(AppError::field(
                    "outcome",
                    "is not one of the configured call outcomes",
                ))
            }
            None => outcomes
                .iter()
                .find(|x| x.active && x.code == "done")
                .or(outcomes.iter().find(|x| x.active))
                .map(|x| x.code.clone())
                .unwrap_or_else(|| "done".into()),
        };
        let at = now();
        let occurred = req.occurred_at.map(|t| t.naive_utc()).unwrap_or(at);
        let row = InteractionRow {
            id: erp_core::db::new_id(),
            company_id: company.clone(),
            customer_id: c.partner_id.clone(),
            kind: erp_core::db::enum_to_db(&InteractionKind::Call),
            occurred_at: occurred,
            user_id: c.owner_id.clone().unwrap_or_else(|| actor.user_id.to_db()),
            contact_id: None,
            direction: Some(erp_core::db::enum_to_db(&req.direction)),
            duration_seconds: Some(req.duration_seconds),
            outcome: Some(outcome),
            topic: None,
            result: None,
            body: req.note.clone(),
            deal_id: None,
            created_at: at,
        };
        Ok(CallLogged {
            customer_id: PartnerId::from_db(&c.partner_id)?,
            created_lead: created,
            interaction: interaction::record(conn, actor, &row)?,
        })
    })
}

/// A lead from the web form: a new lead card (owner by the assignment), or the message added
/// to the customer whose e-mail or phone it is.
pub fn web_lead(
    conn: &mut DbConnection,
    actor: &Actor,
    req: WebLead,
) -> Result<LeadReceived, AppError> {
    actor.require(access::INBOUND)?;
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    let mut v = Validator::new();
    v.text("name", &req.name, 200);
    v.opt_text("company", req.company.as_deref(), 200);
    v.opt_text("message", req.message.as_deref(), 10_000);
    v.opt_text("source", req.source.as_deref(), 100);
    v.check(
        req.email.is_some() || req.phone.is_some(),
        "email",
        "give an e-mail address or a phone number to answer to",
    );
    if let Some(e) = &req.email {
        v.check(
            e.contains('@') && e.len() <= 254 && !e.contains(char::is_whitespace),
            "email",
            "is not an e-mail address",
        );
    }
    if let Some(Err(why)) = req.phone.as_deref().map(|p| dialling.e164(p)) {
        v.add("phone", why);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let (c, created) =
            match find_customer(conn, &company, req.phone.as_deref(), req.email.as_deref())? {
                Some(c) => (c, false),
                None => {
                    let (kind, name) = match &req.company {
                        Some(org) => (PartnerKind::Organisation, org.trim().to_string()),
                        None => (PartnerKind::Person, req.name.trim().to_string()),
                    };
                    let partner =
                        sender_partner(kind, name, req.phone.as_deref(), req.email.as_deref());
                    let c = new_lead(
                        conn,
                        actor,
                        partner,
                        req.source.as_deref().unwrap_or("web form"),
                    )?;
                    if req.company.is_some() {
                        customer_repo::insert_contact(
                            conn,
                            &crate::model::ContactRow {
                                id: erp_core::db::new_id(),
                                customer_id: c.partner_id.clone(),
                                name: req.name.trim().to_string(),
                                job_title: None,
                                phone: req.phone.clone(),
                                phone_normalized: req
                                    .phone
                                    .as_deref()
                                    .map(|p| normalize_phone(p, &dialling)),
                                email: req.email.clone(),
                                email_normalized: req
                                    .email
                                    .as_deref()
                                    .map(|e| e.trim().to_lowercase()),
                                notes: None,
                                created_at: now(),
                                version: 1,
                                updated_at: None,
                                removed_at: None,
                            },
                        )?;
                    }
                    (c, true)
                }
            };
        let at = now();
        let row = InteractionRow {
            id: erp_core::db::new_id(),
            company_id: company.clone(),
            customer_id: c.partner_id.clone(),
            kind: erp_core::db::enum_to_db(&InteractionKind::Note),
            occurred_at: at,
            user_id: actor.user_id.to_db(),
            contact_id: None,
            direction: None,
            duration_seconds: None,
            outcome: None,
            topic: Some(format!("web form from {}", req.name.trim())),
            result: None,
            body: Some(req.message.clone().unwrap_or_default()),
            deal_id: None,
            created_at: at,
        };
        interaction::record(conn, actor, &row)?;
        Ok(LeadReceived {
            customer_id: PartnerId::from_db(&c.partner_id)?,
            created,
            owner_id: UserId::from_db_opt(c.owner_id.as_deref())?,
        })
    })
}
