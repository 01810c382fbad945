use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::companies;
use crate::org::address::Address;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: String,
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Company {
    pub fn address(&self) -> Address {
        Address {
            line1: self.address_line1.clone(),
            line2: self.address_line2.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
        }
    }

    pub fn set_address(&mut self, a: Address) {
        self.address_line1 = a.line1;
        self.address_line2 = a.line2;
        self.city = a.city;
        self.region = a.region;
        self.postal_code = a.postal_code;
        self.country = a.country;
    }
}
