use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::hr_contracts;
use erp_core::ids::{CompanyId, UserId};

use super::dto::PayBasis;
use crate::ids::{ContractId, EmployeeId, PayStructureId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_contracts, treat_none_as_null = true)]
pub struct ContractRow {
    pub id: ContractId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub probation_ends_on: Option<NaiveDate>,
    /// Hours ×10⁶.
    pub hours_per_week: i64,
    pub pay_basis: PayBasis,
    /// Money ×10⁴.
    pub pay_rate: i64,
    pub currency: String,
    pub amends_id: Option<ContractId>,
    pub note: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The pay structure it is paid by; every active component when none.
    pub pay_structure_id: Option<PayStructureId>,
}

impl ContractRow {
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| e >= day)
    }

    /// Whether the two spans share a day (an open end runs forever).
    pub fn overlaps(&self, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> bool {
        self.starts_on <= ends_on.unwrap_or(NaiveDate::MAX)
            && starts_on <= self.ends_on.unwrap_or(NaiveDate::MAX)
    }
}
