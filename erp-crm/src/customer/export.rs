//! Customers and their contact people as CSV, in the columns the customer import reads.

use erp_core::auth::Actor;
use erp_core::csv_import::write_table;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::pagination::every_page;
use erp_core::partner::dto::ContactPointDto;

use super::dto::{CustomerListQuery, CustomerResponse};
use super::service;

/// The columns of `POST /crm/customers/import`, in its order.
pub const COLUMNS: &[&str] = &[
    "name",
    "kind",
    "phone",
    "email",
    "tax_id",
    "status",
    "source",
    "region",
    "segment",
    "tags",
    "contact_name",
    "contact_phone",
    "contact_email",
];

/// A customer's rows: the card with its first contact person, then one row per further
/// contact person repeating the card, which is how the import recognises them as the same
/// customer (by its phone, e-mail or tax id).
fn rows_of(c: &CustomerResponse) -> Vec<Vec<String>> {
    let card = vec![
        c.partner.name.clone(),
        enum_to_db(&c.partner.kind),
        ContactPointDto::primary_of(&c.partner.phones).unwrap_or_default(),
        ContactPointDto::primary_of(&c.partner.emails).unwrap_or_default(),
        c.partner.tax_id.clone().unwrap_or_default(),
        enum_to_db(&c.status),
        c.source.clone().unwrap_or_default(),
        c.region.clone().unwrap_or_default(),
        c.segment.clone().unwrap_or_default(),
        c.tags.join(";"),
    ];
    let mut rows: Vec<Vec<String>> = c
        .contacts
        .iter()
        .map(|k| {
            let mut row = card.clone();
            row.push(k.name.clone());
            row.push(k.phone.clone().unwrap_or_default());
            row.push(k.email.clone().unwrap_or_default());
            row
        })
        .collect();
    if rows.is_empty() {
        let mut row = card;
        row.extend([String::new(), String::new(), String::new()]);
        rows.push(row);
    }
    rows
}

/// The customers the actor reaches (the filters of `GET /crm/customers`) as CSV, in the
/// columns the import reads, in the list's order. Phones and e-mails are written as the card
/// shows them to the actor: without `crm.personal_data.read`, not at all.
pub fn export_customers(
    conn: &mut DbConnection,
    actor: &Actor,
    q: CustomerListQuery,
) -> Result<Vec<u8>, AppError> {
    let customers = every_page(|params| {
        let page = service::list_customers(conn, actor, params, q.clone())?;
        Ok((page.items, page.next_cursor))
    })?;
    write_table(COLUMNS, customers.iter().flat_map(rows_of))
}
