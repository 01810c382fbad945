use crate::ids::{BranchId, CompanyId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::branches;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = branches)]
pub struct Branch {
    pub id: BranchId,
    pub company_id: CompanyId,
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
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::address::address_columns!(Branch);
