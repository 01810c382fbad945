use super::dto::*;
use super::model::{Partner, PartnerAddress, PartnerContact};
use super::repo::{self, PartnerFilter};
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::iam::user::service::check_email;
use crate::ids::{CompanyId, PartnerId};
use crate::pagination::ListParams;
use crate::phone::Dialling;

pub use super::phones::{migrate_phone_keys, normalize_phone};

const ENTITY: &str = "partner";

fn to_response(conn: &mut DbConnection, x: &Partner) -> Result<PartnerResponse, AppError> {
    let addresses = repo::addresses_of(conn, &x.id)?
        .into_iter()
        .map(|a| {
            Ok(PartnerAddressDto {
                purpose: enum_from_db(&a.purpose)?,
                line1: a.line1,
                line2: a.line2,
                city: a.city,
                region: a.region,
                postal_code: a.postal_code,
                country: a.country,
                is_primary: a.is_primary,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let (mut phones, mut emails) = (Vec::new(), Vec::new());
    for c in repo::contacts_of(conn, &x.id)? {
        let dto = ContactPointDto {
            label: c.label,
            value: c.value,
            is_primary: c.is_primary,
        };
        if c.channel == "phone" {
            phones.push(dto);
        } else {
            emails.push(dto);
        }
    }
    let mut roles = Vec::new();
    if x.is_customer {
        roles.push(PartnerRole::Customer);
    }
    if x.is_supplier {
        roles.push(PartnerRole::Supplier);
    }
    if x.is_employee_contact {
        roles.push(PartnerRole::EmployeeContact);
    }
    Ok(PartnerResponse {
        id: PartnerId::from_db(&x.id)?,
        kind: x.kind,
        name: x.name.clone(),
        legal_name: x.legal_name.clone(),
        first_name: x.first_name.clone(),
        last_name: x.last_name.clone(),
        tax_id: x.tax_id.clone(),
        registration_number: x.registration_number.clone(),
        website: x.website.clone(),
        notes: x.notes.clone(),
        roles,
        addresses,
        phones,
        emails,
        active: x.active,
        version: x.version,
        created_at: x.created_at.and_utc(),
        updated_at: x.updated_at.and_utc(),
    })
}

fn validate_lists(
    v: &mut Validator,
    dialling: &Dialling,
    addresses: &[PartnerAddressDto],
    phones: &[ContactPointDto],
    emails: &[ContactPointDto],
) {
    for (i, a) in addresses.iter().enumerate() {
        v.text(&format!("addresses[{i}].line1"), &a.line1, 200);
        let as_address = crate::address::Address {
            line1: None,
            line2: a.line2.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
        };
        as_address.validate(v, &format!("addresses[{i}]"));
    }
    for (i, p) in phones.iter().enumerate() {
        if let Err(why) = dialling.e164(&p.value) {
            v.add(format!("phones[{i}].value"), why);
        }
        v.opt_text(&format!("phones[{i}].label"), p.label.as_deref(), 50);
    }
    for (i, e) in emails.iter().enumerate() {
        check_email(v, &format!("emails[{i}].value"), e.value.trim());
        v.opt_text(&format!("emails[{i}].label"), e.label.as_deref(), 50);
    }
    for (list, name) in [(phones, "phones"), (emails, "emails")] {
        v.check(
            list.iter().filter(|c| c.is_primary).count() <= 1,
            name,
            "at most one may be primary",
        );
    }
    v.check(
        addresses.iter().filter(|a| a.is_primary).count() <= 1,
        "addresses",
        "at most one may be primary",
    );
}

fn address_rows(partner_id: &str, list: &[PartnerAddressDto]) -> Vec<PartnerAddress> {
    list.iter()
        .enumerate()
        .map(|(i, a)| PartnerAddress {
            id: new_id(),
            partner_id: partner_id.to_string(),
            position: i as i32,
            purpose: enum_to_db(&a.purpose),
            line1: a.line1.trim().to_string(),
            line2: a.line2.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            is_primary: a.is_primary,
        })
        .collect()
}

fn contact_rows(
    dialling: &Dialling,
    partner_id: &str,
    phones: &[ContactPointDto],
    emails: &[ContactPointDto],
) -> Vec<PartnerContact> {
    let tagged = phones
        .iter()
        .map(|c| ("phone", c))
        .chain(emails.iter().map(|c| ("email", c)));
    tagged
        .enumerate()
        .map(|(i, (channel, c))| PartnerContact {
            id: new_id(),
            partner_id: partner_id.to_string(),
            position: i as i32,
            channel: channel.to_string(),
            label: c.label.clone(),
            value: c.value.trim().to_string(),
            normalized: if channel == "phone" {
                normalize_phone(&c.value, dialling)
            } else {
                c.value.trim().to_lowercase()
            },
            is_primary: c.is_primary,
        })
        .collect()
}

/// Checks the fields common to create and update and fills in a person's display name.
fn check_identity(v: &mut Validator, x: &mut Partner) {
    if x.kind == PartnerKind::Person && x.name.trim().is_empty() {
        let full = [x.first_name.as_deref(), x.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        x.name = full;
    }
    v.text("name", &x.name, 200);
    x.name = x.name.trim().to_string();
    for (field, value, max) in [
        ("legal_name", &x.legal_name, 200),
        ("first_name", &x.first_name, 100),
        ("last_name", &x.last_name, 100),
        ("tax_id", &x.tax_id, 50),
        ("registration_number", &x.registration_number, 50),
        ("website", &x.website, 200),
        ("notes", &x.notes, 10_000),
    ] {
        v.opt_text(field, value.as_deref(), max);
    }
}

fn set_roles(x: &mut Partner, roles: &[PartnerRole]) {
    x.is_customer = roles.contains(&PartnerRole::Customer);
    x.is_supplier = roles.contains(&PartnerRole::Supplier);
    x.is_employee_contact = roles.contains(&PartnerRole::EmployeeContact);
}

pub fn create_partner(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePartnerRequest,
) -> Result<PartnerResponse, AppError> {
    actor.require("partner.write")?;
    create_partner_unchecked(conn, actor, req)
}

/// Creates a partner for a module whose own permission the caller has checked (a CRM
/// customer card). Inside the caller's transaction it is a savepoint.
pub fn create_partner_unchecked(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePartnerRequest,
) -> Result<PartnerResponse, AppError> {
    let at = now();
    let mut x = Partner {
        id: req.id.unwrap_or_default().to_db(),
        company_id: actor.company_id.to_db(),
        kind: req.kind,
        name: req.name.clone().unwrap_or_default(),
        legal_name: req.legal_name,
        first_name: req.first_name,
        last_name: req.last_name,
        tax_id: req
            .tax_id
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        registration_number: req.registration_number,
        website: req.website,
        notes: req.notes,
        is_customer: false,
        is_supplier: false,
        is_employee_contact: false,
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    set_roles(&mut x, &req.roles);
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    let mut v = Validator::new();
    check_identity(&mut v, &mut x);
    validate_lists(&mut v, &dialling, &req.addresses, &req.phones, &req.emails);
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::exists(conn, &x.id)? {
            return Err(AppError::conflict(
                "duplicate_id",
                "a partner with this id exists",
            ));
        }
        repo::insert(conn, &x)?;
        repo::replace_addresses(conn, &x.id, &address_rows(&x.id, &req.addresses))?;
        repo::replace_contacts(
            conn,
            &x.id,
            &contact_rows(&dialling, &x.id, &req.phones, &req.emails),
        )?;
        let out = to_response(conn, &x)?;
        audit::record(conn, actor, ENTITY, &x.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// A partner of the actor's company, or 404.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: PartnerId) -> Result<Partner, AppError> {
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

pub fn get_partner(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
) -> Result<PartnerResponse, AppError> {
    actor.require("partner.read")?;
    let x = load(conn, actor, id)?;
    to_response(conn, &x)
}

/// A partner of the company, for a module that checked its own permission.
pub fn get_partner_unchecked(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PartnerId,
) -> Result<PartnerResponse, AppError> {
    let x = repo::find(conn, id, company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    to_response(conn, &x)
}

pub fn list_partners(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PartnerListQuery,
) -> Result<PartnerPage, AppError> {
    actor.require("partner.read")?;
    let page = params.validate()?;
    let dialling = Dialling::of_company(conn, actor.company_id)?;
    let contact = match q.phone.as_deref() {
        Some(p) => Some(
            dialling
                .e164(p)
                .map_err(|why| AppError::field("phone", why))?,
        ),
        None => q.email.as_deref().map(|e| e.trim().to_lowercase()),
    };
    let filter = PartnerFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        kind: q.kind,
        role: q.role.map(|r| enum_to_db(&r)),
        active: q.active,
        tax_id: q.tax_id,
        contact,
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |p| &p.id);
    let items = rows
        .iter()
        .map(|p| to_response(conn, p))
        .collect::<Result<_, _>>()?;
    Ok(PartnerPage { items, next_cursor })
}

pub fn update_partner(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    expected_version: i64,
    req: UpdatePartnerRequest,
) -> Result<PartnerResponse, AppError> {
    actor.require("partner.write")?;
    update_partner_unchecked(conn, actor, id, expected_version, req)
}

/// Changes a partner for a module that checked its own permission (the CRM operator who
/// keeps personal data clean).
pub fn update_partner_unchecked(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    expected_version: i64,
    req: UpdatePartnerRequest,
) -> Result<PartnerResponse, AppError> {
    write_tx(conn, |conn| {
        let mut x = load(conn, actor, id)?;
        if x.version != expected_version {
            return Err(AppError::VersionMismatch { current: x.version });
        }
        let before = to_response(conn, &x)?;
        let keep_or = |new: &Option<String>, old: &Option<String>| match new {
            Some(s) if s.is_empty() => None,
            Some(s) => Some(s.clone()),
            None => old.clone(),
        };
        if let Some(k) = req.kind {
            x.kind = k;
        }
        if let Some(n) = &req.name {
            x.name = n.clone();
        }
        x.legal_name = keep_or(&req.legal_name, &x.legal_name);
        x.first_name = keep_or(&req.first_name, &x.first_name);
        x.last_name = keep_or(&req.last_name, &x.last_name);
        x.tax_id = keep_or(&req.tax_id, &x.tax_id);
        x.registration_number = keep_or(&req.registration_number, &x.registration_number);
        x.website = keep_or(&req.website, &x.website);
        x.notes = keep_or(&req.notes, &x.notes);
        if let Some(roles) = &req.roles {
            set_roles(&mut x, roles);
        }
        if let Some(a) = req.active {
            x.active = a;
        }
        let dialling = Dialling::of_company(conn, actor.company_id)?;
        let mut v = Validator::new();
        check_identity(&mut v, &mut x);
        validate_lists(
            &mut v,
            &dialling,
            req.addresses.as_deref().unwrap_or_default(),
            req.phones.as_deref().unwrap_or_default(),
            req.emails.as_deref().unwrap_or_default(),
        );
        v.finish()?;
        x.version += 1;
        x.updated_at = now();
        if !repo::update_versioned(conn, &x, expected_version)? {
            return Err(AppError::VersionMismatch { current: x.version });
        }
        if let Some(a) = &req.addresses {
            repo::replace_addresses(conn, &x.id, &address_rows(&x.id, a))?;
        }
        if req.phones.is_some() || req.emails.is_some() {
            let phones = req.phones.clone().unwrap_or(before.phones.clone());
            let emails = req.emails.clone().unwrap_or(before.emails.clone());
            repo::replace_contacts(
                conn,
                &x.id,
                &contact_rows(&dialling, &x.id, &phones, &emails),
            )?;
        }
        let after = to_response(conn, &x)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &x.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Deletes a partner no document refers to; one that is referenced gets 409 (deactivate it).
pub fn delete_partner(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    expected_version: Option<i64>,
) -> Result<(), AppError> {
    actor.require("partner.delete")?;
    write_tx(conn, |conn| {
        let x = load(conn, actor, id)?;
        if let Some(v) = expected_version {
            if v != x.version {
                return Err(AppError::VersionMismatch { current: x.version });
            }
        }
        let before = to_response(conn, &x)?;
        repo::delete(conn, &x.id)?;
        audit::record(conn, actor, ENTITY, &x.id, Change::Deleted(&before))?;
        Ok(())
    })
}

/// A partner as a printed document addresses them: the legal name when there is one, the
/// billing address (else the primary, else the first) and the tax number.
pub fn addressee(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PartnerId,
) -> Result<crate::pdf::Party, AppError> {
    let x = repo::find(conn, id, company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    let addresses = repo::addresses_of(conn, &x.id)?;
    let chosen = addresses
        .iter()
        .find(|a| a.purpose == enum_to_db(&AddressPurpose::Billing))
        .or_else(|| addresses.iter().find(|a| a.is_primary))
        .or(addresses.first());
    let address = chosen
        .map(|a| crate::address::Address {
            line1: Some(a.line1.clone()),
            line2: a.line2.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
        })
        .unwrap_or_default();
    let name = x.legal_name.as_deref().unwrap_or(&x.name);
    Ok(crate::pdf::Party::with_address(
        name,
        &address,
        x.tax_id.as_deref(),
    ))
}
