use crate::ids::{CompanyId, PartnerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dto::PartnerKind;
use super::model::{Partner, PartnerAddress, PartnerContact};
use crate::db::schema::{partner_addresses as pa, partner_contacts as pc, partners as p};
use crate::db::{lower, DbConnection};
use crate::pagination::PageRequest;

pub fn find(
    conn: &mut DbConnection,
    id: PartnerId,
    company_id: CompanyId,
) -> QueryResult<Option<Partner>> {
    p::table
        .find(id)
        .filter(p::company_id.eq(company_id))
        .select(Partner::as_select())
        .first(conn)
        .optional()
}

/// Which of `ids` are partners of the company (looked up a thousand at a time).
pub fn existing_in_company(
    conn: &mut DbConnection,
    ids: &[PartnerId],
    company_id: CompanyId,
) -> QueryResult<Vec<PartnerId>> {
    // By id alone and the company checked here: given both, SQLite may walk every partner
    // of the company by its company index instead of looking the ids up.
    let rows: Vec<(PartnerId, CompanyId)> = crate::db::by_chunks(ids, |chunk| {
        p::table
            .filter(p::id.eq_any(chunk))
            .select((p::id, p::company_id))
            .load(conn)
    })?;
    Ok(rows
        .into_iter()
        .filter(|r| r.1 == company_id)
        .map(|r| r.0)
        .collect())
}

pub fn exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(p::table.find(id))).get_result(conn)
}

pub fn insert(conn: &mut DbConnection, partner: &Partner) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values(partner)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, x: &Partner, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        p::table
            .filter(p::id.eq(&x.id))
            .filter(p::version.eq(expected)),
    )
    .set((
        p::kind.eq(&x.kind),
        p::name.eq(&x.name),
        p::legal_name.eq(&x.legal_name),
        p::first_name.eq(&x.first_name),
        p::last_name.eq(&x.last_name),
        p::tax_id.eq(&x.tax_id),
        p::registration_number.eq(&x.registration_number),
        p::website.eq(&x.website),
        p::notes.eq(&x.notes),
        p::is_customer.eq(x.is_customer),
        p::is_supplier.eq(x.is_supplier),
        p::is_employee_contact.eq(x.is_employee_contact),
        p::active.eq(x.active),
        p::version.eq(x.version),
        p::updated_at.eq(x.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(p::table.find(id)).execute(conn).map(|_| ())
}

pub fn addresses_of(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Vec<PartnerAddress>> {
    pa::table
        .filter(pa::partner_id.eq(partner_id))
        .order(pa::position)
        .select(PartnerAddress::as_select())
        .load(conn)
}

pub fn contacts_of(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Vec<PartnerContact>> {
    pc::table
        .filter(pc::partner_id.eq(partner_id))
        .order(pc::position)
        .select(PartnerContact::as_select())
        .load(conn)
}

/// Adds one phone or e-mail to a partner.
pub fn add_contact(conn: &mut DbConnection, row: &PartnerContact) -> QueryResult<()> {
    diesel::insert_into(pc::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A partner that is no customer any more (merged into another): inactive, not a customer.
pub fn retire_customer(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(p::table.find(id))
        .set((
            p::active.eq(false),
            p::is_customer.eq(false),
            p::version.eq(p::version + 1),
            p::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn replace_addresses(
    conn: &mut DbConnection,
    partner_id: &str,
    rows: &[PartnerAddress],
) -> QueryResult<()> {
    diesel::delete(pa::table.filter(pa::partner_id.eq(partner_id))).execute(conn)?;
    for row in rows {
        diesel::insert_into(pa::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn replace_contacts(
    conn: &mut DbConnection,
    partner_id: &str,
    rows: &[PartnerContact],
) -> QueryResult<()> {
    diesel::delete(pc::table.filter(pc::partner_id.eq(partner_id))).execute(conn)?;
    for row in rows {
        diesel::insert_into(pc::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Every stored phone number: (contact id, company, the number as entered, its key).
pub fn all_phones(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(String, CompanyId, String, String)>> {
    pc::table
        .inner_join(p::table.on(p::id.eq(pc::partner_id)))
        .filter(pc::channel.eq("phone"))
        .select((pc::id, p::company_id, pc::value, pc::normalized))
        .load(conn)
}

pub fn set_phone_key(conn: &mut DbConnection, id: &str, key: &str) -> QueryResult<()> {
    diesel::update(pc::table.find(id))
        .set(pc::normalized.eq(key))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Default)]
pub struct PartnerFilter {
    pub q: Option<String>,
    pub kind: Option<PartnerKind>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub tax_id: Option<String>,
    /// A normalised phone or e-mail.
    pub contact: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    f: &PartnerFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Partner>> {
    let mut q = p::table.filter(p::company_id.eq(company_id)).into_boxed();
    if let Some(text) = &f.q {
        q = q.filter(lower(p::name).like(format!("%{}%", text.to_lowercase())));
    }
    if let Some(kind) = &f.kind {
        q = q.filter(p::kind.eq(*kind));
    }
    match f.role.as_deref() {
        Some("customer") => q = q.filter(p::is_customer.eq(true)),
        Some("supplier") => q = q.filter(p::is_supplier.eq(true)),
        Some("employee_contact") => q = q.filter(p::is_employee_contact.eq(true)),
        _ => {}
    }
    if let Some(active) = f.active {
        q = q.filter(p::active.eq(active));
    }
    if let Some(tax) = &f.tax_id {
        q = q.filter(p::tax_id.eq(tax.clone()));
    }
    if let Some(contact) = &f.contact {
        q = q.filter(
            p::id.eq_any(
                pc::table
                    .filter(pc::normalized.eq(contact.clone()))
                    .select(pc::partner_id),
            ),
        );
    }
    if let Some(since) = page.updated_since {
        q = q.filter(p::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc())
        .limit(page.fetch_limit())
        .select(Partner::as_select())
        .load(conn)
}
