use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::PartnerId;

crate::text_enum! {
    /// An organisation (a company, an office) or a natural person.
    pub enum PartnerKind {
        Organisation = "organisation",
        Person = "person",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    Customer,
    Supplier,
    EmployeeContact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressPurpose {
    Billing,
    Shipping,
    Office,
    Home,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerAddressDto {
    pub purpose: AddressPurpose,
    pub line1: String,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

/// A phone number or an e-mail address.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPointDto {
    /// e.g. "work", "mobile", "accounts".
    pub label: Option<String>,
    pub value: String,
    #[serde(default)]
    pub is_primary: bool,
}

impl ContactPointDto {
    /// The value of the primary phone or e-mail of a list, else of the first.
    pub fn primary_of(list: &[ContactPointDto]) -> Option<String> {
        list.iter()
            .find(|x| x.is_primary)
            .or(list.first())
            .map(|x| x.value.clone())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartnerRequest {
    pub id: Option<PartnerId>,
    pub kind: PartnerKind,
    /// Display name; for a person defaults to "first_name last_name".
    pub name: Option<String>,
    pub legal_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub tax_id: Option<String>,
    pub registration_number: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub roles: Vec<PartnerRole>,
    #[serde(default)]
    pub addresses: Vec<PartnerAddressDto>,
    #[serde(default)]
    pub phones: Vec<ContactPointDto>,
    #[serde(default)]
    pub emails: Vec<ContactPointDto>,
}

/// Changes to a partner; absent fields stay as they are; lists given replace the lists.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePartnerRequest {
    pub kind: Option<PartnerKind>,
    pub name: Option<String>,
    pub legal_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub tax_id: Option<String>,
    pub registration_number: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub roles: Option<Vec<PartnerRole>>,
    pub addresses: Option<Vec<PartnerAddressDto>>,
    pub phones: Option<Vec<ContactPointDto>>,
    pub emails: Option<Vec<ContactPointDto>>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerResponse {
    pub id: PartnerId,
    pub kind: PartnerKind,
    pub name: String,
    pub legal_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub tax_id: Option<String>,
    pub registration_number: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub roles: Vec<PartnerRole>,
    pub addresses: Vec<PartnerAddressDto>,
    pub phones: Vec<ContactPointDto>,
    pub emails: Vec<ContactPointDto>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_type!(PartnerPage, PartnerResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerListQuery {
    /// Part of the name.
    pub q: Option<String>,
    pub kind: Option<PartnerKind>,
    pub role: Option<PartnerRole>,
    pub active: Option<bool>,
    pub tax_id: Option<String>,
    /// Partners with this phone number (any formatting).
    pub phone: Option<String>,
    /// Partners with this e-mail address (any case).
    pub email: Option<String>,
}
