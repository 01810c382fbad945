//! CSV import of customers and contacts with duplicate detection: a row with the phone,
//! e-mail or tax id of a customer (or of an earlier row) adds its contact person and tags to
//! that customer instead of making a duplicate.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::PartnerId;
use erp_core::partner::dto::{ContactPointDto, CreatePartnerRequest, PartnerKind, PartnerRole};
use erp_core::partner::service::{create_partner_unchecked, normalize_phone};
use erp_core::phone::Dialling;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::CustomerStatus;
use super::merge::joined_tags;
use super::repo;
use crate::access;
use crate::model::{ContactRow, CustomerRow};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MergedRow {
    /// 1 for the first data row.
    pub row: usize,
    pub customer_id: PartnerId,
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

/// (kind, normalized value) -> customer: the phones, e-mails and tax ids that recognise one.
type Keys = HashMap<(String, String), String>;

/// Known keys of the company's customers.
fn known_keys(conn: &mut DbConnection, company: &str) -> Result<Keys, AppError> {
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

/// The file's lowercased header and its records.
fn read(bytes: &[u8]) -> Result<(Vec<String>, Vec<csv::StringRecord>), AppError> {
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
    Ok((headers, rows))
}

/// One row of the file, checked.
struct Line {
    name: Option<String>,
    kind: PartnerKind,
    phone: Option<String>,
    email: Option<String>,
    tax_id: Option<String>,
    status: CustomerStatus,
    source: Option<String>,
    region: Option<String>,
    segment: Option<String>,
    tags: Vec<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
}

impl Line {
    /// The row's cells, or every reason it is refused.
    fn parse(
        headers: &[String],
        rec: &csv::StringRecord,
        dialling: &Dialling,
    ) -> Result<Line, Vec<String>> {
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
        let status = match get("status") {
            None => CustomerStatus::Lead,
            Some(s) => CustomerStatus::from_text(&s).unwrap_or_else(|| {
                errors.push(format!("status: {s} is not a customer status"));
                CustomerStatus::Lead
            }),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let tags = get("tags")
            .map(|t| {
                t.split(';')
                    .map(|x| x.trim().to_lowercase())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Line {
            name,
            kind,
            phone,
            email,
            tax_id: get("tax_id").map(|t| t.to_uppercase()),
            status,
            source: get("source"),
            region: get("region"),
            segment: get("segment"),
            tags,
            contact_name: get("contact_name"),
            contact_phone: get("contact_phone"),
            contact_email: get("contact_email").map(|e| e.to_lowercase()),
        })
    }

    /// The card's own keys: its phone, e-mail and tax id.
    fn card_keys(&self, dialling: &Dialling) -> [(&'static str, Option<String>); 3] {
        [
            (
                "phone",
                self.phone.as_deref().map(|p| normalize_phone(p, dialling)),
            ),
            ("email", self.email.clone()),
            ("tax_id", self.tax_id.clone()),
        ]
    }

    /// The customer this row duplicates, and by which key: the card's keys first, then its
    /// contact person's phone and e-mail.
    fn matching(&self, keys: &Keys, dialling: &Dialling) -> Option<(String, String)> {
        let [phone, email, tax] = self.card_keys(dialling);
        let contact_phone = self
            .contact_phone
            .as_deref()
            .map(|p| normalize_phone(p, dialling));
        [
            phone,
            email,
            tax,
            ("phone", contact_phone),
            ("email", self.contact_email.clone()),
        ]
        .into_iter()
        .find_map(|(k, v)| {
            v.and_then(|v| {
                keys.get(&(k.to_string(), v))
                    .map(|c| (k.to_string(), c.clone()))
            })
        })
    }

    /// The partner the new card stands on.
    fn partner(&self) -> CreatePartnerRequest {
        let point = |value: &String| ContactPointDto {
            label: None,
            value: value.clone(),
            is_primary: true,
        };
        CreatePartnerRequest {
            id: None,
            kind: self.kind,
            name: self.name.clone(),
            legal_name: None,
            first_name: None,
            last_name: None,
            tax_id: self.tax_id.clone(),
            registration_number: None,
            website: None,
            notes: None,
            roles: vec![PartnerRole::Customer],
            addresses: vec![],
            phones: self.phone.iter().map(point).collect(),
            emails: self.email.iter().map(point).collect(),
        }
    }
}

/// Adds the row's tags to the customer it duplicates.
fn add_tags(
    conn: &mut DbConnection,
    company: &str,
    customer: &str,
    tags: &[String],
) -> Result<(), AppError> {
    if let Some(mut c) = repo::find(conn, customer, company)? {
        let v = c.version;
        c.tags = joined_tags(&c.tags, tags.to_vec());
        c.version += 1;
        c.updated_at = now();
        repo::update_versioned(conn, &c, v)?;
    }
    Ok(())
}

/// Makes the customer card of a row; the partner's own refusals are the row's.
fn create_card(
    conn: &mut DbConnection,
    actor: &Actor,
    line: &Line,
) -> Result<Result<CustomerRow, Vec<String>>, AppError> {
    let p = match create_partner_unchecked(conn, actor, line.partner()) {
        Ok(p) => p,
        Err(AppError::Validation(e)) => {
            return Ok(Err(e
                .into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect()))
        }
        Err(e) => return Err(e),
    };
    let at = now();
    let c = CustomerRow {
        partner_id: p.id.to_db(),
        company_id: actor.company_id.to_db(),
        status: line.status,
        source: line.source.clone().or(Some("import".into())),
        owner_id: Some(actor.user_id.to_db()),
        segment: line.segment.clone(),
        region: line.region.clone(),
        tags: serde_json::Value::from(line.tags.clone()).to_string(),
        attributes: "{}".into(),
        last_contact_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    repo::insert(conn, &c)?;
    Ok(Ok(c))
}

/// Adds the row's contact person to the customer unless one of that name is there, and
/// remembers its phone and e-mail as keys of the customer.
fn add_contact(
    conn: &mut DbConnection,
    keys: &mut Keys,
    dialling: &Dialling,
    customer: &str,
    line: &Line,
) -> Result<(), AppError> {
    let Some(name) = &line.contact_name else {
        return Ok(());
    };
    if repo::has_contact_named(conn, customer, &name.to_lowercase())? {
        return Ok(());
    }
    let (phone, email) = (&line.contact_phone, &line.contact_email);
    let row = ContactRow {
        id: new_id(),
        customer_id: customer.to_string(),
        name: name.clone(),
        job_title: None,
        phone: phone.clone(),
        phone_normalized: phone.as_deref().map(|p| normalize_phone(p, dialling)),
        email: email.clone(),
        email_normalized: email.clone(),
        notes: None,
        created_at: now(),
        version: 1,
        updated_at: None,
        removed_at: None,
    };
    repo::insert_contact(conn, &row)?;
    if let Some(p) = &row.phone_normalized {
        keys.insert(("phone".into(), p.clone()), customer.to_string());
    }
    if let Some(e) = &row.email_normalized {
        keys.insert(("email".into(), e.clone()), customer.to_string());
    }
    Ok(())
}

/// Imports customers from CSV (columns: name, kind, phone, email, tax_id, status, source,
/// region, segment, tags separated by `;`, contact_name, contact_phone, contact_email).
pub fn import_customers(
    conn: &mut DbConnection,
    actor: &Actor,
    bytes: &[u8],
) -> Result<CustomerImportReport, AppError> {
    actor.require(access::WRITE)?;
    let (headers, records) = read(bytes)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let dialling = Dialling::of_company(conn, actor.company_id)?;
        let mut keys = known_keys(conn, &company)?;
        let mut report = CustomerImportReport {
            created: 0,
            merged: Vec::new(),
            rejected: Vec::new(),
        };
        for (n, rec) in records.iter().enumerate() {
            let row = n + 1;
            let line = match Line::parse(&headers, rec, &dialling) {
                Ok(line) => line,
                Err(errors) => {
                    report.rejected.push(RejectedRow { row, errors });
                    continue;
                }
            };
            let customer = match line.matching(&keys, &dialling) {
                Some((on, existing)) => {
                    add_tags(conn, &company, &existing, &line.tags)?;
                    report.merged.push(MergedRow {
                        row,
                        customer_id: PartnerId::from_db(&existing)?,
                        matched_on: on,
                    });
                    existing
                }
                None => match create_card(conn, actor, &line)? {
                    Ok(card) => {
                        report.created += 1;
                        for (k, v) in line.card_keys(&dialling) {
                            if let Some(v) = v {
                                keys.insert((k.into(), v), card.partner_id.clone());
                            }
                        }
                        card.partner_id
                    }
                    Err(errors) => {
                        report.rejected.push(RejectedRow { row, errors });
                        continue;
                    }
                },
            };
            add_contact(conn, &mut keys, &dialling, &customer, &line)?;
        }
        audit::record(
            conn,
            actor,
            "customer_import",
            new_id(),
            Change::Action("import", Some(&report)),
        )?;
        Ok(report)
    })
}
