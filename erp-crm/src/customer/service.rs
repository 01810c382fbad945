//! The customer card: a business partner with the customer role and what sales knows of it.
//! Contact persons are in `contact.rs`.

use chrono::Utc;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::ids::{PartnerId, UserId};
use erp_core::money::Money;
use erp_core::pagination::ListParams;
use erp_core::partner::dto::{PartnerResponse, PartnerRole};
use erp_core::partner::{repo as partner_repo, service as partner_service};
use erp_core::phone::Dialling;
use erp_finance::aging::dto::Side;
use erp_finance::aging::service::Viewer;

use super::dto::*;
use super::repo::{self, CustomerFilter};
use crate::access;
use crate::error::CrmError;
use crate::ids::ContactId;
use crate::model::CustomerRow;

pub use super::contact::*;

pub(super) const ENTITY: &str = "customer";

pub(super) fn hide_personal(p: &mut PartnerResponse) {
    p.phones.clear();
    p.emails.clear();
    p.addresses.clear();
}

pub fn to_response(
    conn: &mut DbConnection,
    actor: &Actor,
    c: &CustomerRow,
) -> Result<CustomerResponse, AppError> {
    let personal = actor.can(access::PERSONAL_READ);
    let mut partner = partner_service::get_partner_unchecked(
        conn,
        CompanyId::from_db(&c.company_id)?,
        PartnerId::from_db(&c.partner_id)?,
    )?;
    if !personal {
        hide_personal(&mut partner);
    }
    let contacts = repo::contacts_of(conn, &c.partner_id)?
        .into_iter()
        .map(|k| {
            Ok(ContactResponse {
                id: ContactId::from_db(&k.id)?,
                name: k.name,
                job_title: k.job_title,
                phone: k.phone.filter(|_| personal),
                email: k.email.filter(|_| personal),
                notes: k.notes,
                version: k.version,
                created_at: k.created_at.and_utc(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let (open, value, won, tasks, overdue, interactions) =
        repo::summary(conn, &c.partner_id, now())?;
    Ok(CustomerResponse {
        id: PartnerId::from_db(&c.partner_id)?,
        partner,
        status: c.status,
        source: c.source.clone(),
        owner_id: UserId::from_db_opt(c.owner_id.as_deref())?,
        segment: c.segment.clone(),
        region: c.region.clone(),
        tags: serde_json::from_str(&c.tags).unwrap_or_default(),
        attributes: serde_json::from_str(&c.attributes).unwrap_or_default(),
        contacts,
        last_contact_at: c.last_contact_at.map(|t| t.and_utc()),
        summary: CustomerSummary {
            open_deals: open,
            open_deals_value: Money::from_scaled(value),
            won_deals: won,
            open_tasks: tasks,
            overdue_tasks: overdue,
            interactions,
        },
        account: None,
        version: c.version,
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    })
}

pub(super) fn check_card(
    v: &mut Validator,
    source: Option<&str>,
    segment: Option<&str>,
    region: Option<&str>,
    tags: Option<&Vec<String>>,
    attributes: Option<&serde_json::Map<String, serde_json::Value>>,
) {
    v.opt_text("source", source, 100);
    v.opt_text("segment", segment, 100);
    v.opt_text("region", region, 100);
    if let Some(tags) = tags {
        v.check(tags.len() <= 50, "tags", "at most 50 tags");
        for (i, t) in tags.iter().enumerate() {
            v.check(
                !t.trim().is_empty() && t.len() <= 50 && !t.contains(['"', '%', '\\']),
                &format!("tags[{i}]"),
                "1 to 50 characters, without quotes, % or backslashes",
            );
        }
    }
    if let Some(a) = attributes {
        v.check(
            serde_json::to_string(a).is_ok_and(|s| s.len() <= 20_000),
            "attributes",
            "at most 20,000 characters of JSON",
        );
    }
}

pub(super) fn normalize_tags(tags: &[String]) -> String {
    let mut t: Vec<String> = tags.iter().map(|t| t.trim().to_lowercase()).collect();
    t.sort();
    t.dedup();
    serde_json::Value::from(t).to_string()
}

/// Creates many customer cards in one transaction, each by [`create_customer`]'s rules;
/// refused records are named by their index and nothing is kept (nor announced to webhooks).
pub fn create_customers(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCustomersRequest,
) -> Result<CustomerBatch, AppError> {
    actor.require(access::WRITE)?;
    let customers =
        erp_core::batch::all_or_nothing(conn, "customers", req.customers, |conn, c| {
            create_customer(conn, actor, c)
        })?;
    Ok(CustomerBatch { customers })
}

pub fn create_customer(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCustomerRequest,
) -> Result<CustomerResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    v.check(
        req.partner_id.is_some() != req.partner.is_some(),
        "partner",
        "give either partner (a new one) or partner_id (an existing one)",
    );
    check_card(
        &mut v,
        req.source.as_deref(),
        req.segment.as_deref(),
        req.region.as_deref(),
        Some(&req.tags),
        req.attributes.as_ref(),
    );
    v.check(
        req.contacts.len() <= 100,
        "contacts",
        "at most 100 contacts",
    );
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    for (i, k) in req.contacts.iter().enumerate() {
        check_contact(&mut v, &dialling, &format!("contacts[{i}]"), k);
    }
    v.finish()?;
    if let Some(o) = req.owner_id {
        if !access::reaches_user(conn, actor, &o.to_string())? {
            return Err(AppError::Forbidden(
                "only crm.all or the team lead may give a customer to another manager".into(),
            ));
        }
    }
    write_tx(conn, |conn| {
        let company_id = actor.company_id.to_db();
        let partner_id = match (&req.partner_id, req.partner) {
            (Some(id), _) => {
                let mut p = partner_repo::find(conn, *id, actor.company_id)?
                    .ok_or_else(|| AppError::field("partner_id", "no such partner"))?;
                if repo::find(conn, &p.id, &company_id)?.is_some() {
                    return Err(CrmError::DuplicateCustomer.into());
                }
                if !p.is_customer {
                    let expected = p.version;
                    p.is_customer = true;
                    p.version += 1;
                    p.updated_at = now();
                    partner_repo::update_versioned(conn, &p, expected)?;
                }
                p.id
            }
            (None, Some(mut partner)) => {
                if !partner.roles.contains(&PartnerRole::Customer) {
                    partner.roles.push(PartnerRole::Customer);
                }
                let p = partner_service::create_partner_unchecked(conn, actor, partner)
                    .map_err(|e| e.under("partner"))?;
                p.id.to_db()
            }
            (None, None) => {
                return Err(AppError::field(
                    "partner",
                    "give either partner or partner_id",
                ))
            }
        };
        let owner = match req.owner_id {
            Some(o) => access::check_user(conn, actor, o, "owner_id")?,
            None => actor.user_id.to_db(),
        };
        let at = now();
        let c = CustomerRow {
            partner_id: partner_id.clone(),
            company_id: company_id.clone(),
            status: req.status.unwrap_or(CustomerStatus::Lead),
            source: req.source.clone(),
            owner_id: Some(owner),
            segment: req.segment.clone(),
            region: req.region.clone(),
            tags: normalize_tags(&req.tags),
            attributes: serde_json::Value::Object(req.attributes.clone().unwrap_or_default())
                .to_string(),
            last_contact_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &c)?;
        for k in &req.contacts {
            repo::insert_contact(conn, &contact_row(&dialling, &partner_id, k))?;
        }
        let out = to_response(conn, actor, &c)?;
        audit::record(conn, actor, ENTITY, &c.partner_id, Change::Created(&out))?;
        crate::webhook::service::emit(conn, &c.company_id, "customer.created", &out)?;
        Ok(out)
    })
}

pub fn load_readable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
) -> Result<CustomerRow, AppError> {
    let c = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?;
    access::readable(conn, actor, c)
}

pub fn load_writable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<CustomerRow, AppError> {
    let c = repo::find(conn, id, &actor.company_id.to_db())?;
    access::writable(conn, actor, c)
}

pub fn get_customer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
) -> Result<CustomerResponse, AppError> {
    let c = load_readable(conn, actor, id)?;
    let mut out = to_response(conn, actor, &c)?;
    if actor.can(erp_finance::invoice::service::READ) {
        out.account = Some(erp_finance::aging::service::partner_position(
            conn,
            CompanyId::from_db(&c.company_id)?,
            Viewer::Person(actor),
            Side::Receivable,
            PartnerId::from_db(&c.partner_id)?,
            chrono::Utc::now().date_naive(),
        )?);
    }
    Ok(out)
}

pub fn list_customers(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: CustomerListQuery,
) -> Result<CustomerPage, AppError> {
    actor.require(access::READ)?;
    let page = params.validate()?;
    access::user_filter(conn, actor, q.owner_id)?;
    // Managers see their own customers (a team lead the team's) whatever they ask for.
    let owners = access::narrow_owners(access::visible_owners(conn, actor)?, q.owner_id);
    let filter = CustomerFilter {
        owners,
        status: q.status.map(|s| enum_to_db(&s)),
        tag: q.tag.clone().map(|t| t.trim().to_lowercase()),
        segment: q.segment.clone(),
        region: q.region.clone(),
        no_contact_since: q.no_contact_since.and_then(|d| d.and_hms_opt(0, 0, 0)),
        missing: q.missing.map(|m| match m {
            MissingData::Phone => "phone",
            MissingData::Email => "email",
            MissingData::Contacts => "contacts",
        }),
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |c| &c.partner_id);
    let mut items = Vec::new();
    for c in rows {
        if let Some(t) = &filter.tag {
            let tags: Vec<String> = serde_json::from_str(&c.tags).unwrap_or_default();
            if !tags.contains(t) {
                continue;
            }
        }
        items.push(to_response(conn, actor, &c)?);
    }
    Ok(CustomerPage { items, next_cursor })
}

pub fn update_customer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    expected: i64,
    req: UpdateCustomerRequest,
) -> Result<CustomerResponse, AppError> {
    let mut v = Validator::new();
    check_card(
        &mut v,
        req.source.as_deref(),
        req.segment.as_deref(),
        req.region.as_deref(),
        req.tags.as_ref(),
        req.attributes.as_ref(),
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let mut c = load_writable(conn, actor, &id.to_string())?;
        if c.version != expected {
            return Err(AppError::VersionMismatch { current: c.version });
        }
        let before = to_response(conn, actor, &c)?;
        if let Some(o) = req.owner_id {
            if !access::reaches_user(conn, actor, &o.to_string())? {
                return Err(AppError::Forbidden(
                    "only crm.all or the team lead may give a customer to another manager".into(),
                ));
            }
            c.owner_id = Some(access::check_user(conn, actor, o, "owner_id")?);
        }
        if let Some(s) = req.status {
            c.status = s;
        }
        if req.source.is_some() {
            c.source = req.source.clone();
        }
        if req.segment.is_some() {
            c.segment = req.segment.clone();
        }
        if req.region.is_some() {
            c.region = req.region.clone();
        }
        if let Some(t) = &req.tags {
            c.tags = normalize_tags(t);
        }
        if let Some(a) = &req.attributes {
            c.attributes = serde_json::Value::Object(a.clone()).to_string();
        }
        c.version += 1;
        c.updated_at = now();
        if !repo::update_versioned(conn, &c, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let after = to_response(conn, actor, &c)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &c.partner_id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Field errors of a contact checked with an empty prefix, without the leading dot.
pub(super) fn unprefixed(e: AppError) -> AppError {
    match e {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = f.field.trim_start_matches('.').to_string();
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

/// Personal data (names, phones, e-mails, addresses) through the partner, for the operator
/// who keeps customer data clean: any customer, with `crm.personal_data.write`.
pub fn update_personal_data(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    expected: i64,
    req: erp_core::partner::dto::UpdatePartnerRequest,
) -> Result<CustomerResponse, AppError> {
    actor.require(access::PERSONAL_WRITE)?;
    if req.roles.is_some() || req.active.is_some() || req.kind.is_some() {
        return Err(AppError::field(
            "roles",
            "only names, phones, e-mails, addresses and notes change here",
        ));
    }
    write_tx(conn, |conn| {
        let c = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound(ENTITY))?;
        partner_service::update_partner_unchecked(
            conn,
            actor,
            PartnerId::from_db(&c.partner_id)?,
            expected,
            req,
        )?;
        let _ = Utc::now();
        to_response(conn, actor, &c)
    })
}
