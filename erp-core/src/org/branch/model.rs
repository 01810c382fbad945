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

/// A branch, or none (the whole company), held in a column that is part of a key and so
/// cannot be NULL: the empty text stands for none.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct BranchKey(pub Option<BranchId>);

crate::__text_sql!(
    BranchKey,
    |key| key.0.map(|b| b.0.to_string()).unwrap_or_default(),
    |text| match text {
        "" => Ok(BranchKey(None)),
        _ => crate::db::entity_id::parse_stored(text, "BranchId")
            .map(|u| BranchKey(Some(BranchId(u)))),
    }
);
