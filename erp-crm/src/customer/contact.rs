//! A customer's contact persons: added, changed, removed, their phone keys migrated.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::ids::PartnerId;
use erp_core::partner::service as partner_service;
use erp_core::phone::Dialling;

use super::dto::*;
use super::repo::{self};
use super::service::*;
use crate::access;
use crate::ids::ContactId;
use crate::model::ContactRow;

pub(super) fn check_contact(
    v: &mut Validator,
    dialling: &Dialling,
    prefix: &str,
    k: &ContactInput,
) {
    v.text(&format!("{prefix}.name"), &k.name, 200);
    v.opt_text(&format!("{prefix}.job_title"), k.job_title.as_deref(), 200);
    v.opt_text(&format!("{prefix}.phone"), k.phone.as_deref(), 50);
    v.opt_text(&format!("{prefix}.notes"), k.notes.as_deref(), 2000);
    if let Some(e) = &k.email {
        v.check(
            e.contains('@') && e.len() <= 254 && !e.contains(char::is_whitespace),
            &format!("{prefix}.email"),
            "is not an e-mail address",
        );
    }
    if let Some(Err(why)) = k.phone.as_deref().map(|p| dialling.e164(p)) {
        v.add(format!("{prefix}.phone"), why);
    }
}

pub(super) fn contact_row(dialling: &Dialling, customer_id: &str, k: &ContactInput) -> ContactRow {
    ContactRow {
        id: new_id(),
        customer_id: customer_id.to_string(),
        name: k.name.trim().to_string(),
        job_title: k.job_title.clone(),
        phone: k.phone.clone(),
        phone_normalized: k
            .phone
            .as_deref()
            .map(|p| partner_service::normalize_phone(p, dialling)),
        email: k.email.clone(),
        email_normalized: k.email.as_deref().map(|e| e.trim().to_lowercase()),
        notes: k.notes.clone(),
        created_at: now(),
        version: 1,
        updated_at: None,
        removed_at: None,
    }
}

pub fn add_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    req: ContactInput,
) -> Result<ContactResponse, AppError> {
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    let mut v = Validator::new();
    check_contact(&mut v, &dialling, "", &req);
    v.finish().map_err(unprefixed)?;
    write_tx(conn, |conn| {
        let c = match load_writable(conn, actor, &id.to_string()) {
            Ok(c) => c,
            // The operator who keeps data clean may add contact people to any customer.
            Err(_) if actor.can(access::PERSONAL_WRITE) => {
                repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
                    .ok_or(AppError::NotFound(ENTITY))?
            }
            Err(e) => return Err(e),
        };
        let row = contact_row(&dialling, &c.partner_id, &req);
        repo::insert_contact(conn, &row)?;
        let out = contact_response(&row)?;
        audit::record(
            conn,
            actor,
            "customer_contact",
            &row.id,
            Change::Created(&out),
        )?;
        Ok(out)
    })
}

/// Data migration: contact people's phone keys in E.164 with the company's country, once
/// (`contact_phones_e164`). Returns how many changed.
pub fn migrate_contact_phone_keys(conn: &mut DbConnection) -> Result<usize, AppError> {
    write_tx(conn, |conn| {
        if !erp_core::db::take_pending(conn, "contact_phones_e164")? {
            return Ok(0);
        }
        let mut diallings = erp_core::phone::Diallings::default();
        let mut changed = 0;
        for (id, company, phone, key) in repo::all_contact_phones(conn)? {
            let dialling = diallings.of(conn, CompanyId::from_db(&company)?)?;
            let fresh = partner_service::normalize_phone(&phone, &dialling);
            if key.as_deref() != Some(fresh.as_str()) {
                repo::set_contact_phone_key(conn, &id, &fresh)?;
                changed += 1;
            }
        }
        Ok(changed)
    })
}

pub(super) fn contact_response(row: &ContactRow) -> Result<ContactResponse, AppError> {
    Ok(ContactResponse {
        id: ContactId::from_db(&row.id)?,
        name: row.name.clone(),
        job_title: row.job_title.clone(),
        phone: row.phone.clone(),
        email: row.email.clone(),
        notes: row.notes.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
    })
}

/// A contact person of a customer, for a change of personal data: any customer's with
/// `crm.personal_data.write`, like the card's own personal data.
pub(super) fn load_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    customer: PartnerId,
    contact: ContactId,
) -> Result<ContactRow, AppError> {
    actor.require(access::PERSONAL_WRITE)?;
    repo::find(conn, &customer.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound(ENTITY))?;
    repo::find_contact(conn, &contact.to_string())?
        .filter(|k| k.customer_id == customer.to_string() && k.removed_at.is_none())
        .ok_or(AppError::NotFound("contact"))
}

/// Corrects a contact person (name, position, phone, e-mail, notes), audited.
pub fn update_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    (customer, contact): (PartnerId, ContactId),
    expected: i64,
    req: UpdateContactRequest,
) -> Result<ContactResponse, AppError> {
    write_tx(conn, |conn| {
        let mut row = load_contact(conn, actor, customer, contact)?;
        if row.version != expected {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = contact_response(&row)?;
        let changed = ContactInput {
            name: req.name.clone().unwrap_or_else(|| row.name.clone()),
            job_title: req.job_title.clone().unwrap_or(row.job_title.clone()),
            phone: req.phone.clone().unwrap_or(row.phone.clone()),
            email: req.email.clone().unwrap_or(row.email.clone()),
            notes: req.notes.clone().unwrap_or(row.notes.clone()),
        };
        let dialling = Dialling::of_company(conn, actor.company_id)?;
        let mut v = Validator::new();
        check_contact(&mut v, &dialling, "", &changed);
        v.finish().map_err(unprefixed)?;
        let fresh = contact_row(&dialling, &row.customer_id, &changed);
        row = ContactRow {
            id: row.id,
            customer_id: row.customer_id,
            created_at: row.created_at,
            version: row.version + 1,
            updated_at: Some(now()),
            removed_at: None,
            ..fresh
        };
        if !repo::update_contact(conn, &row, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let after = contact_response(&row)?;
        audit::record(
            conn,
            actor,
            "customer_contact",
            &row.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Removes a contact person from the card: their phone, e-mail and notes are erased, their
/// name stays on the calls and meetings that name them. Audited.
pub fn remove_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    (customer, contact): (PartnerId, ContactId),
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let mut row = load_contact(conn, actor, customer, contact)?;
        let before = contact_response(&row)?;
        let expected = row.version;
        row.phone = None;
        row.phone_normalized = None;
        row.email = None;
        row.email_normalized = None;
        row.notes = None;
        row.version += 1;
        row.updated_at = Some(now());
        row.removed_at = row.updated_at;
        if !repo::update_contact(conn, &row, expected)? {
            return Err(AppError::Contended);
        }
        audit::record(
            conn,
            actor,
            "customer_contact",
            &row.id,
            Change::Deleted(&before),
        )
    })
}
