use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::{Money, Qty};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{ContractId, EmployeeId, PayStructureId};
use crate::wire::present;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    Permanent,
    /// Needs an end date.
    FixedTerm,
    Apprenticeship,
    Temporary,
}

erp_core::text_enum! {
    pub enum PayBasis {
        /// `pay_rate` is the salary of a month.
        MonthlySalary = "monthly_salary",
        /// `pay_rate` is paid per hour worked.
        Hourly = "hourly",
    }
}

/// A new contract of an employee.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContractRequest {
    pub id: Option<ContractId>,
    pub kind: ContractKind,
    /// On or after the hire date.
    pub starts_on: NaiveDate,
    /// The last day; required for a fixed-term contract, open otherwise.
    pub ends_on: Option<NaiveDate>,
    /// The last day of probation, within the contract.
    pub probation_ends_on: Option<NaiveDate>,
    /// Over 0 and at most 168.
    pub hours_per_week: Qty,
    pub pay_basis: PayBasis,
    /// The monthly salary or the hourly rate; a salary in the currency's minor unit.
    pub pay_rate: Money,
    /// ISO 4217; the company's currency when absent.
    pub currency: Option<String>,
    /// The pay components it is paid by; every active component of the company when absent.
    pub pay_structure_id: Option<PayStructureId>,
    pub note: Option<String>,
}

/// The changed terms of a contract from a date; absent fields stay as they were.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendContractRequest {
    pub id: Option<ContractId>,
    /// The first day of the new terms: after the contract's start, within it.
    pub effective_on: NaiveDate,
    pub kind: Option<ContractKind>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub ends_on: Option<Option<NaiveDate>>,
    pub hours_per_week: Option<Qty>,
    pub pay_basis: Option<PayBasis>,
    pub pay_rate: Option<Money>,
    /// Another pay structure from `effective_on`; null for every active component.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<PayStructureId>, nullable)]
    pub pay_structure_id: Option<Option<PayStructureId>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContractResponse {
    pub id: ContractId,
    pub employee_id: EmployeeId,
    pub kind: ContractKind,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub probation_ends_on: Option<NaiveDate>,
    pub hours_per_week: Qty,
    pub pay_basis: PayBasis,
    pub pay_rate: Money,
    pub currency: String,
    pub pay_structure_id: Option<PayStructureId>,
    /// The contract this one continues with changed terms.
    pub amends_id: Option<ContractId>,
    /// The amendment that continues this one, if any.
    pub amended_by: Option<ContractId>,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An employee's contracts, the earliest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractList {
    pub items: Vec<ContractResponse>,
}
