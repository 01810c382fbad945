use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::hr_positions;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_positions, treat_none_as_null = true)]
pub struct PositionRow {
    pub id: String,
    pub company_id: String,
    pub department_id: String,
    pub code: String,
    pub title: String,
    pub grade: Option<String>,
    pub headcount: i32,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
