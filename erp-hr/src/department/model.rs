use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::hr_departments;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_departments, treat_none_as_null = true)]
pub struct DepartmentRow {
    pub id: String,
    pub company_id: String,
    pub branch_id: String,
    pub parent_id: Option<String>,
    pub code: String,
    pub name: String,
    pub cost_center: Option<String>,
    pub manager_id: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
