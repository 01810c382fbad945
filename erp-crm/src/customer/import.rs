//! CSV import of customers and contacts with duplicate detection, and the merge of two
//! customers into one that keeps all history.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::partner::dto::{ContactPointDto, CreatePartnerRequest, PartnerKind, PartnerRole};
use erp_core::partner::repo as partner_repo;
use erp_core::partner::service::{create_partner_unchecked, normalize_phone};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::repo;
use crate::access;
use crate::model::{ContactRow, CustomerRow};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MergedRow {
    /// 1 for the first data row.
    pub row: usize,
    pub customer_id: Uuid,
    /// `phone`, `email` or `tax_id`.
    pub matched_on: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RejectedRow {
    pub row: usize,
    pub errors: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerImportReport {
    pub created: usize,
    /// Rows that matched a customer (existing, or made by an earlier row): their contact
    /// person and tags were added to it instead of making a duplicate.
    pub merged: Vec<MergedRow>,
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The duplicate: its history moves to the customer in the path, and it goes.
    pub duplicate_id: Uuid,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MergeResult {
    pub customer_id: Uuid,
    pub interactions: usize,
    pub deals: usize,
    pub tasks: usize,
    pub orders: usize,
    pub tickets: usize,
    pub contacts: usize,
}

/// Known keys of the company's customers: (kind, value) -> customer.
fn known_keys(
    conn: &mut DbConnection,
    company: &str,
) -> Result<HashMap<(String, String), String>, AppError> {
    let mut keys = HashMap::new();
    let cards = repo::ids_of_company(conn, company)?;
    for chunk in cards.chunks(500) {
        for (p, channel, normalized) in repo::contact_points_of(conn, chunk)? {
            keys.insert((channel, normalized), p);
        }
        for (p, tax) in repo::tax_ids_of(conn, chunk)? {
            keys.insert(("tax_id".into(), tax.trim().to_uppercase()), p);
        }
        for (c, phone, email) in repo::contact_keys_of(conn, chunk)? {
            if let Some(p) = phone {
                keys.insert(("phone".into(), p), c.clone());
            }
            if let Some(e) = email {
                keys.insert(("email".into(), e), c);
            }
        }
    }
    Ok(keys)
}

/// Imports customers from CSV (columns: name, kind, phone, email, tax_id, status, source,
/// region, segment, tags separated by `;`, contact_name, contact_phone, contact_email).
pub fn import_customers(
    conn: &mut DbConnection,
    actor: &Actor,
    bytes: &[u8],
) -> Result<CustomerImportReport, AppError> {
    actor.require(access::WRITE)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::BadRequest(format!("the CSV header cannot be read: {e}")))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "name") {
        return Err(AppError::field("name", "the CSV needs a name column"));
    }
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::BadRequest(format!("the CSV cannot be read: {e}")))?;
    if rows.len() > 50_000 {
        return Err(AppError::field("rows", "at most 50,000 rows per file"));
    }
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let dialling = erp_core::phone::Dialling::of_company(conn, &company)?;
        let mut keys = known_keys(conn, &company)?;
        let mut report = CustomerImportReport {
            created: 0,
            merged: Vec::new(),
            rejected: Vec::new(),
        };
        for (n, rec) in rows.iter().enumerate() {
            let row = n + 1;
            let get = |name: &str| {
                headers
                    .iter()
                    .position(|h| h == name)
                    .and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let mut errors = Vec::new();
            let name = get("name");
            if name.is_none() {
                errors.push("name: required".to_string());
            }
            let kind = match get("kind").as_deref() {
                None | Some("organisation") => PartnerKind::Organisation,
                Some("person") => PartnerKind::Person,
                Some(other) => {
                    errors.push(format!("kind: {other} is neither organisation nor person"));
                    PartnerKind::Organisation
                }
            };
            let phone = get("phone");
            let email = get("email").map(|e| e.to_lowercase());
            if let Some(Err(why)) = phone.as_deref().map(|p| dialling.e164(p)) {
                errors.push(format!("phone: {why}"));
            }
            if email
                .as_deref()
                .is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace))
            {
                errors.push("email: not an e-mail address".into());
            }
            let status = get("status").unwrap_or_else(|| "lead".into());
            if !["lead", "prospect", "customer", "inactive", "lost"].contains(&status.as_str()) {
                errors.push(format!("status: {status} is not a customer status"));
            }
            if !errors.is_empty() {
                report.rejected.push(RejectedRow { row, errors });
                continue;
            }
            let tax = get("tax_id").map(|t| t.to_uppercase());
            let candidates = [
                (
                    "phone",
                    phone.as_deref().map(|p| normalize_phone(p, &dialling)),
                ),
                ("email", email.clone()),
                ("tax_id", tax.clone()),
                (
                    "phone",
                    get("contact_phone")
                        .as_deref()
                        .map(|p| normalize_phone(p, &dialling)),
                ),
                ("email", get("contact_email").map(|e| e.to_lowercase())),
            ];
            let matched = candidates.iter().find_map(|(k, v)| {
                v.as_ref().and_then(|v| {
                    keys.get(&(k.to_string(), v.clone()))
                        .map(|c| (k.to_string(), c.clone()))
                })
            });
            let tags: Vec<String> = get("tags")
                .map(|t| {
                    t.split(';')
                        .map(|x| x.trim().to_lowercase())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let customer_id = match matched {
                Some((on, existing)) => {
                    // Add what the row brings to the customer it duplicates.
                    if let Some(mut c) = repo::find(conn, &existing, &company)? {
                        let mut all: Vec<String> =
                            serde_json::from_str(&c.tags).unwrap_or_default();
                        all.extend(tags.clone());
                        all.sort();
                        all.dedup();
                        let v = c.version;
                        c.tags = serde_json::Value::from(all).to_string();
                        c.version += 1;
                        c.updated_at = now();
                        repo::update_versioned(conn, &c, v)?;
                    }
                    report.merged.push(MergedRow {
                        row,
                        customer_id: uuid_from_db(&existing)?,
                        matched_on: on,
                    });
                    existing
                }
                None => {
                    let partner = CreatePartnerRequest {
                        id: None,
                        kind,
                        name: name.clone(),
                        legal_name: None,
                        first_name: None,
                        last_name: None,
                        tax_id: tax.clone(),
                        registration_number: None,
                        website: None,
                        notes: None,
                        roles: vec![PartnerRole::Customer],
                        addresses: vec![],
                        phones: phone
                            .iter()
                            .map(|p| ContactPointDto {
                                label: None,
                                value: p.clone(),
                                is_primary: true,
                            })
                            .collect(),
                        emails: email
                            .iter()
                            .map(|e| ContactPointDto {
                                label: None,
                                value: e.clone(),
                                is_primary: true,
                            })
                            .collect(),
                    };
                    let p = match create_partner_unchecked(conn, actor, partner) {
                        Ok(p) => p,
                        Err(AppError::Validation(e)) => {
                            report.rejected.push(RejectedRow {
                                row,
                                errors: e
                                    .into_iter()
                                    .map(|f| format!("{}: {}", f.field, f.message))
                                    .collect(),
                            });
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    let at = now();
                    let c = CustomerRow {
                        partner_id: p.id.to_db(),
                        company_id: company.clone(),
                        status: status.clone(),
                        source: get("source").or(Some("import".into())),
                        owner_id: Some(actor.user_id.to_db()),
                        segment: get("segment"),
                        region: get("region"),
                        tags: serde_json::Value::from(tags.clone()).to_string(),
                        attributes: "{}".into(),
                        last_contact_at: None,
                        version: 1,
                        created_at: at,
                        updated_at: at,
                    };
                    repo::insert(conn, &c)?;
                    report.created += 1;
                    for (k, v) in [
                        (
                            "phone",
                            phone.as_deref().map(|p| normalize_phone(p, &dialling)),
                        ),
                        ("email", email.clone()),
                        ("tax_id", tax.clone()),
                    ] {
                        if let Some(v) = v {
                            keys.insert((k.into(), v), c.partner_id.clone());
                        }
                    }
                    c.partner_id
                }
            };
            if let Some(contact) = get("contact_name") {
                let (cp, ce) = (
                    get("contact_phone"),
                    get("contact_email").map(|e| e.to_lowercase()),
                );
                if !repo::has_contact_named(conn, &customer_id, &contact.to_lowercase())? {
                    let row = ContactRow {
                        id: new_id(),
                        customer_id: customer_id.clone(),
                        name: contact,
                        job_title: None,
                        phone: cp.clone(),
                        phone_normalized: cp.as_deref().map(|p| normalize_phone(p, &dialling)),
                        email: ce.clone(),
                        email_normalized: ce.clone(),
                        notes: None,
                        created_at: now(),
                        version: 1,
                        updated_at: None,
                        removed_at: None,
                    };
                    repo::insert_contact(conn, &row)?;
                    if let Some(p) = &row.phone_normalized {
                        keys.insert(("phone".into(), p.clone()), customer_id.clone());
                    }
                    if let Some(e) = &row.email_normalized {
                        keys.insert(("email".into(), e.clone()), customer_id.clone());
                    }
                }
            }
        }
        audit::record(
            conn,
            actor,
            "customer_import",
            &new_id(),
            Change::Action("import", Some(&report)),
        )?;
        Ok(report)
    })
}

/// Merges a duplicate into a customer: interactions, deals, tasks, orders, tickets, contact
/// people and campaign responses move over, phones and e-mails are added to the partner,
/// tags are joined; the duplicate's card goes and its partner is deactivated.
pub fn merge(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: MergeRequest,
) -> Result<MergeResult, AppError> {
    actor.require(access::WRITE)?;
    if id == req.duplicate_id {
        return Err(AppError::field(
            "duplicate_id",
            "a customer cannot be merged into itself",
        ));
    }
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let mut keep = {
            let found = repo::find(conn, &id.to_string(), &company)?;
            access::writable(conn, actor, found)
        }?;
        let dup = {
            let found = repo::find(conn, &req.duplicate_id.to_string(), &company)?;
            access::writable(conn, actor, found)
        }
        .map_err(|_| AppError::field("duplicate_id", "no such customer of yours"))?;
        let (k, d) = (keep.partner_id.clone(), dup.partner_id.clone());
        let at = now();
        let moved = repo::move_history(conn, &d, &k, at)?;
        // Phones and e-mails the survivor lacks.
        let mine = partner_repo::contacts_of(conn, &k)?;
        let mut position = mine.len() as i32;
        for mut c in partner_repo::contacts_of(conn, &d)? {
            if mine
                .iter()
                .any(|m| m.channel == c.channel && m.normalized == c.normalized)
            {
                continue;
            }
            position += 1;
            c.id = new_id();
            c.partner_id = k.clone();
            c.position = position;
            c.is_primary = false;
            partner_repo::add_contact(conn, &c)?;
        }
        let mut tags: Vec<String> = serde_json::from_str(&keep.tags).unwrap_or_default();
        tags.extend(serde_json::from_str::<Vec<String>>(&dup.tags).unwrap_or_default());
        tags.sort();
        tags.dedup();
        let v = keep.version;
        keep.tags = serde_json::Value::from(tags).to_string();
        keep.version += 1;
        keep.updated_at = at;
        repo::update_versioned(conn, &keep, v)?;
        if let Some(last) = dup.last_contact_at {
            repo::touch_contact(conn, &k, last)?;
        }
        repo::delete(conn, &d)?;
        partner_repo::retire_customer(conn, &d, at)?;
        let out = MergeResult {
            customer_id: id,
            interactions: moved.interactions,
            deals: moved.deals,
            tasks: moved.tasks,
            orders: moved.orders,
            tickets: moved.tickets,
            contacts: moved.contacts,
        };
        audit::record(
            conn,
            actor,
            "customer",
            &k,
            Change::Action(
                "merge",
                Some(&serde_json::json!({"duplicate_id": d, "moved": &out})),
            ),
        )?;
        Ok(out)
    })
}
