//! Employees from CSV, for moving from a former system: one row per employee with the person,
//! where they work, and optionally their first contract; all or nothing, each rejected row
//! named with its column and reason. Departments, positions, calendars and pay structures are
//! named by code, managers by employee number (one hired earlier in the same file too).

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::{
    check_columns, enum_cell, import_all, parsed, required, ImportReport, Row,
};
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::{Money, Qty};
use erp_core::partner::dto::{ContactPointDto, CreatePartnerRequest, PartnerKind};
use rust_decimal::Decimal;

use super::contract::dto::NewContractRequest;
use super::dto::CreateEmployeeRequest;
use super::{repo, service};
use crate::{calendar, department, position};

pub const COLUMNS: &[&str] = &[
    "number",
    "first_name",
    "last_name",
    "email",
    "phone",
    "department",
    "position",
    "manager",
    "hired_on",
    "calendar",
    "birth_date",
    "bank_account",
    "contract_kind",
    "contract_ends_on",
    "probation_ends_on",
    "hours_per_week",
    "pay_basis",
    "pay_rate",
    "currency",
    "pay_structure",
];

/// Codes of one kind of record to their ids.
struct Codes<I> {
    what: &'static str,
    ids: HashMap<String, I>,
}

impl<I: Copy> Codes<I> {
    fn new(what: &'static str, pairs: Vec<(String, I)>) -> Codes<I> {
        Codes {
            what,
            ids: pairs.into_iter().collect(),
        }
    }

    /// The id of the code in `col`, if the row has one.
    fn of(&self, row: &Row, col: &str) -> Result<Option<I>, AppError> {
        let Some(code) = row.get(col) else {
            return Ok(None);
        };
        self.ids
            .get(code)
            .copied()
            .map(Some)
            .ok_or_else(|| AppError::field(col, format!("no {} '{code}'", self.what)))
    }
}

fn decimal(row: &Row, col: &str) -> Result<Decimal, AppError> {
    parsed::<Decimal>(row, col)?.ok_or_else(|| AppError::field(col, "is required with a contract"))
}

pub fn import_employees(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(department::service::WRITE)?;
    check_columns(body, COLUMNS)?;
    let company = actor.company_id;
    let departments = Codes::new("department", department::repo::ids_by_code(conn, company)?);
    let positions = Codes::new("position", position::repo::ids_by_code(conn, company)?);
    let calendars = Codes::new("work calendar", calendar::repo::ids_by_code(conn, company)?);
    let structures = Codes::new(
        "pay structure",
        super::contract::repo::pay_structures_by_code(conn, company)?,
    );
    import_all(conn, body, |conn, row| {
        let department_id = departments
            .of(row, "department")?
            .ok_or_else(|| AppError::field("department", "is required"))?;
        let manager_id = match row.get("manager") {
            Some(number) => Some(
                repo::id_by_number(conn, company, number)?
                    .ok_or_else(|| AppError::field("manager", format!("no employee '{number}'")))?,
            ),
            None => None,
        };
        let hired_on =
            parsed(row, "hired_on")?.ok_or_else(|| AppError::field("hired_on", "is required"))?;
        let contract = match enum_cell(row, "contract_kind")? {
            Some(kind) => Some(NewContractRequest {
                id: None,
                kind,
                starts_on: hired_on,
                ends_on: parsed(row, "contract_ends_on")?,
                probation_ends_on: parsed(row, "probation_ends_on")?,
                hours_per_week: Qty::new(decimal(row, "hours_per_week")?)
                    .map_err(|e| AppError::field("hours_per_week", e.to_string()))?,
                pay_basis: enum_cell(row, "pay_basis")?
                    .ok_or_else(|| AppError::field("pay_basis", "is required with a contract"))?,
                pay_rate: Money::new(decimal(row, "pay_rate")?)
                    .map_err(|e| AppError::field("pay_rate", e.to_string()))?,
                currency: row.get("currency").cloned(),
                pay_structure_id: structures.of(row, "pay_structure")?,
                note: None,
            }),
            None => None,
        };
        let contact = |col: &str| -> Vec<ContactPointDto> {
            row.get(col)
                .map(|v| ContactPointDto {
                    label: Some("work".into()),
                    value: v.clone(),
                    is_primary: true,
                })
                .into_iter()
                .collect()
        };
        let req = CreateEmployeeRequest {
            id: None,
            number: row.get("number").cloned(),
            partner_id: None,
            person: Some(CreatePartnerRequest {
                id: None,
                kind: PartnerKind::Person,
                name: None,
                legal_name: None,
                first_name: Some(required(row, "first_name")?.to_string()),
                last_name: Some(required(row, "last_name")?.to_string()),
                tax_id: None,
                registration_number: None,
                website: None,
                notes: None,
                roles: Vec::new(),
                addresses: Vec::new(),
                phones: contact("phone"),
                emails: contact("email"),
            }),
            user_id: None,
            department_id,
            position_id: positions.of(row, "position")?,
            manager_id,
            hired_on,
            calendar_id: calendars.of(row, "calendar")?,
            birth_date: parsed(row, "birth_date")?,
            bank_account: row.get("bank_account").cloned(),
            contract,
        };
        service::create_employee(conn, actor, req).map(|_| ())
    })
}
