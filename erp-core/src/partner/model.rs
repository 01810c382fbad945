use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dto::PartnerKind;
use crate::db::schema::{partner_addresses, partner_contacts, partners};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: String,
    pub company_id: String,
    pub kind: PartnerKind,
    pub name: String,
    pub legal_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub tax_id: Option<String>,
    pub registration_number: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub is_customer: bool,
    pub is_supplier: bool,
    pub is_employee_contact: bool,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partner_addresses)]
pub struct PartnerAddress {
    pub id: String,
    pub partner_id: String,
    pub position: i32,
    pub purpose: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub is_primary: bool,
}

/// A phone number or e-mail address. `normalized` is what lookups match on
/// (digits and a leading + for phones, lower case for e-mail).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partner_contacts)]
pub struct PartnerContact {
    pub id: String,
    pub partner_id: String,
    pub position: i32,
    pub channel: String,
    pub label: Option<String>,
    pub value: String,
    pub normalized: String,
    pub is_primary: bool,
}
