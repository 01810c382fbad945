use crate::ids::CompanyId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::companies;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: CompanyId,
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
    /// How many days back a stock move may be dated (fiscal periods permitting).
    pub stock_backdate_days: i32,
}

crate::address::address_columns!(Company);
