use crate::ids::{CompanyId, RoleId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::roles;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = roles)]
pub struct Role {
    pub id: RoleId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Made by the system (the Administrator): cannot be deleted or lose permissions.
    pub builtin: bool,
}
