use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::hr_positions;
use erp_core::ids::CompanyId;

use crate::ids::{DepartmentId, PositionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_positions, treat_none_as_null = true)]
pub struct PositionRow {
    pub id: PositionId,
    pub company_id: CompanyId,
    pub department_id: DepartmentId,
    pub code: String,
    pub title: String,
    pub grade: Option<String>,
    pub headcount: i32,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
