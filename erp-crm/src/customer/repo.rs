use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    crm_campaign_responses as cr, crm_contacts as ct, crm_customers as cu, crm_deals as dl,
    crm_interactions as it, crm_sales_orders as so, crm_tasks as tk, crm_tickets as tt,
    partner_contacts as pc, partners,
};
use erp_core::db::DbConnection;
use erp_core::pagination::PageRequest;

use crate::model::{ContactRow, CustomerRow};
use crate::states::{DealStatus, TaskStatus};

/// A customer card of the company. The query lives with access control, which every
/// module uses to decide who reaches a record of a customer.
pub use crate::access::repo::customer as find;

pub fn insert(conn: &mut DbConnection, c: &CustomerRow) -> QueryResult<()> {
    diesel::insert_into(cu::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    c: &CustomerRow,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        cu::table
            .filter(cu::partner_id.eq(&c.partner_id))
            .filter(cu::version.eq(expected)),
    )
    .set((
        cu::status.eq(&c.status),
        cu::source.eq(&c.source),
        cu::owner_id.eq(&c.owner_id),
        cu::segment.eq(&c.segment),
        cu::region.eq(&c.region),
        cu::tags.eq(&c.tags),
        cu::attributes.eq(&c.attributes),
        cu::version.eq(c.version),
        cu::updated_at.eq(c.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records the time of the latest interaction (never moves it back).
pub fn touch_contact(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        cu::table
            .find(id)
            .filter(cu::last_contact_at.is_null().or(cu::last_contact_at.lt(at))),
    )
    .set(cu::last_contact_at.eq(at))
    .execute(conn)
    .map(|_| ())
}

/// The contact people on a card (not those removed from it).
pub fn contacts_of(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<ContactRow>> {
    ct::table
        .filter(ct::customer_id.eq(customer_id))
        .filter(ct::removed_at.is_null())
        .order(ct::created_at)
        .select(ContactRow::as_select())
        .load(conn)
}

pub fn find_contact(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ContactRow>> {
    ct::table
        .find(id)
        .select(ContactRow::as_select())
        .first(conn)
        .optional()
}

/// A contact person's phone: (contact id, company, the number as entered, its key).
pub type ContactPhone = (String, String, String, Option<String>);

pub fn all_contact_phones(conn: &mut DbConnection) -> QueryResult<Vec<ContactPhone>> {
    ct::table
        .inner_join(cu::table.on(cu::partner_id.eq(ct::customer_id)))
        .filter(ct::phone.is_not_null())
        .select((
            ct::id,
            cu::company_id,
            ct::phone.assume_not_null(),
            ct::phone_normalized,
        ))
        .load(conn)
}

pub fn set_contact_phone_key(conn: &mut DbConnection, id: &str, key: &str) -> QueryResult<()> {
    diesel::update(ct::table.find(id))
        .set(ct::phone_normalized.eq(key))
        .execute(conn)
        .map(|_| ())
}

/// Writes a contact person's fields if it is still at `expected`; false when it moved on.
pub fn update_contact(conn: &mut DbConnection, c: &ContactRow, expected: i64) -> QueryResult<bool> {
    diesel::update(
        ct::table
            .filter(ct::id.eq(&c.id))
            .filter(ct::version.eq(expected)),
    )
    .set((
        ct::name.eq(&c.name),
        ct::job_title.eq(&c.job_title),
        ct::phone.eq(&c.phone),
        ct::phone_normalized.eq(&c.phone_normalized),
        ct::email.eq(&c.email),
        ct::email_normalized.eq(&c.email_normalized),
        ct::notes.eq(&c.notes),
        ct::version.eq(c.version),
        ct::updated_at.eq(c.updated_at),
        ct::removed_at.eq(c.removed_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn insert_contact(conn: &mut DbConnection, c: &ContactRow) -> QueryResult<()> {
    diesel::insert_into(ct::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

/// (open deals, their value, won deals, open tasks, overdue tasks, interactions).
pub fn summary(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<(i64, i64, i64, i64, i64, i64)> {
    let open: Vec<i64> = dl::table
        .filter(dl::customer_id.eq(id))
        .filter(dl::status.eq(DealStatus::Open))
        .select(dl::value)
        .load(conn)?;
    let won: i64 = dl::table
        .filter(dl::customer_id.eq(id))
        .filter(dl::status.eq(DealStatus::Won))
        .count()
        .get_result(conn)?;
    let tasks: Vec<NaiveDateTime> = tk::table
        .filter(tk::customer_id.eq(id))
        .filter(tk::status.eq(TaskStatus::Open))
        .select(tk::due_at)
        .load(conn)?;
    let interactions: i64 = it::table
        .filter(it::customer_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((
        open.len() as i64,
        open.iter().sum(),
        won,
        tasks.len() as i64,
        tasks.iter().filter(|d| **d < now).count() as i64,
        interactions,
    ))
}

pub struct CustomerFilter {
    /// Owned by one of these managers.
    pub owners: Option<Vec<String>>,
    pub status: Option<String>,
    pub tag: Option<String>,
    pub segment: Option<String>,
    pub region: Option<String>,
    pub no_contact_since: Option<NaiveDateTime>,
    /// Cards without any phone or e-mail of the card (`phone`, `email`), or without contact
    /// people (`contacts`).
    pub missing: Option<&'static str>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    f: &CustomerFilter,
    page: &PageRequest,
) -> QueryResult<Vec<CustomerRow>> {
    let mut q = cu::table.filter(cu::company_id.eq(company_id)).into_boxed();
    if let Some(o) = &f.owners {
        q = q.filter(cu::owner_id.eq_any(o.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(cu::status.eq(s.clone()));
    }
    if let Some(t) = &f.tag {
        // Tags are a JSON array of strings: match the quoted tag.
        q = q.filter(cu::tags.like(format!("%{}%", serde_json::Value::String(t.clone()))));
    }
    if let Some(s) = &f.segment {
        q = q.filter(cu::segment.eq(s.clone()));
    }
    if let Some(r) = &f.region {
        q = q.filter(cu::region.eq(r.clone()));
    }
    if let Some(d) = f.no_contact_since {
        q = q.filter(cu::last_contact_at.is_null().or(cu::last_contact_at.lt(d)));
    }
    // As the managers report counts them (the flags the database keeps on each card).
    match f.missing {
        Some("contacts") => q = q.filter(cu::has_contacts.eq(false)),
        Some("phone") => q = q.filter(cu::has_phone.eq(false)),
        Some("email") => q = q.filter(cu::has_email.eq(false)),
        _ => {}
    }
    if let Some(since) = page.updated_since {
        q = q.filter(cu::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(cu::partner_id.gt(after.clone()));
    }
    q.order(cu::partner_id.asc())
        .limit(page.fetch_limit())
        .select(CustomerRow::as_select())
        .load(conn)
}

/// The ids of all the company's customers.
pub fn ids_of_company(conn: &mut DbConnection, company: &str) -> QueryResult<Vec<String>> {
    cu::table
        .filter(cu::company_id.eq(company))
        .select(cu::partner_id)
        .load(conn)
}

/// (customer, channel, normalised value) of the phones and e-mails on these customers' cards.
pub fn contact_points_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String)>> {
    pc::table
        .filter(pc::partner_id.eq_any(ids))
        .select((pc::partner_id, pc::channel, pc::normalized))
        .load(conn)
}

/// (customer, tax id) of these customers that have one.
pub fn tax_ids_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    partners::table
        .filter(partners::id.eq_any(ids))
        .filter(partners::tax_id.is_not_null())
        .select((partners::id, partners::tax_id.assume_not_null()))
        .load(conn)
}

/// A contact person's keys: (customer, normalised phone, normalised e-mail).
pub type ContactKeys = (String, Option<String>, Option<String>);

/// The keys of these customers' contact persons.
pub fn contact_keys_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ContactKeys>> {
    ct::table
        .filter(ct::customer_id.eq_any(ids))
        .select((ct::customer_id, ct::phone_normalized, ct::email_normalized))
        .load(conn)
}

/// Whether the customer has a contact person of this name (`name_lower` in lower case).
pub fn has_contact_named(
    conn: &mut DbConnection,
    customer_id: &str,
    name_lower: &str,
) -> QueryResult<bool> {
    let n: i64 = ct::table
        .filter(ct::customer_id.eq(customer_id))
        .filter(erp_core::db::lower(ct::name).eq(name_lower))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// How many records of each kind a merge moved.
pub struct Moved {
    pub interactions: usize,
    pub deals: usize,
    pub tasks: usize,
    pub orders: usize,
    pub tickets: usize,
    pub contacts: usize,
}

/// Moves a customer's whole history (interactions, deals, tasks, orders, tickets, contact
/// persons, campaign responses) to another customer.
pub fn move_history(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<Moved> {
    let interactions = diesel::update(it::table.filter(it::customer_id.eq(from)))
        .set(it::customer_id.eq(to))
        .execute(conn)?;
    let deals = diesel::update(dl::table.filter(dl::customer_id.eq(from)))
        .set((dl::customer_id.eq(to), dl::updated_at.eq(at)))
        .execute(conn)?;
    let tasks = diesel::update(tk::table.filter(tk::customer_id.eq(from)))
        .set((tk::customer_id.eq(to), tk::updated_at.eq(at)))
        .execute(conn)?;
    let orders = diesel::update(so::table.filter(so::customer_id.eq(from)))
        .set((so::customer_id.eq(to), so::updated_at.eq(at)))
        .execute(conn)?;
    let tickets = diesel::update(tt::table.filter(tt::customer_id.eq(from)))
        .set((tt::customer_id.eq(to), tt::updated_at.eq(at)))
        .execute(conn)?;
    let contacts = diesel::update(ct::table.filter(ct::customer_id.eq(from)))
        .set(ct::customer_id.eq(to))
        .execute(conn)?;
    diesel::update(cr::table.filter(cr::customer_id.eq(from)))
        .set(cr::customer_id.eq(to))
        .execute(conn)?;
    Ok(Moved {
        interactions,
        deals,
        tasks,
        orders,
        tickets,
        contacts,
    })
}

/// Removes a customer card (the partner stays).
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(cu::table.find(id)).execute(conn).map(|_| ())
}
