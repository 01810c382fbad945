use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{fin_tax_group_members, fin_tax_groups};
use erp_core::ids::CompanyId;

use crate::ids::{TaxGroupId, TaxId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_tax_groups)]
pub struct TaxGroupRow {
    pub id: TaxGroupId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_tax_group_members)]
pub struct TaxGroupMemberRow {
    pub group_id: TaxGroupId,
    /// The member's place in the group, from 0: the order its tax is shown and posted in.
    pub seq: i32,
    pub tax_id: TaxId,
    /// Computed on the line's net plus the group's simple, not withheld taxes.
    pub compound: bool,
}
