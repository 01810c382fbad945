use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{hr_contracts as c, hr_pay_structures as ps};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use super::model::ContractRow;
use crate::ids::{ContractId, EmployeeId, PayStructureId};

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: ContractId,
) -> QueryResult<Option<ContractRow>> {
    c::table
        .find(id)
        .filter(c::company_id.eq(company_id))
        .select(ContractRow::as_select())
        .first(conn)
        .optional()
}

/// The employee's contracts, the earliest first.
pub fn of_employee(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Vec<ContractRow>> {
    c::table
        .filter(c::employee_id.eq(employee_id))
        .order(c::starts_on.asc())
        .select(ContractRow::as_select())
        .load(conn)
}

/// The contracts of the given employees, by employee and start.
pub fn of_employees(
    conn: &mut DbConnection,
    employee_ids: &[EmployeeId],
) -> QueryResult<Vec<ContractRow>> {
    erp_core::db::by_chunks(employee_ids, |chunk| {
        c::table
            .filter(c::employee_id.eq_any(chunk))
            .order((c::employee_id.asc(), c::starts_on.asc()))
            .select(ContractRow::as_select())
            .load(conn)
    })
}

/// The contracts in force on `day` of the given employees.
pub fn in_force(
    conn: &mut DbConnection,
    employee_ids: &[EmployeeId],
    day: NaiveDate,
) -> QueryResult<Vec<ContractRow>> {
    c::table
        .filter(c::employee_id.eq_any(employee_ids))
        .filter(c::starts_on.le(day))
        .filter(c::ends_on.is_null().or(c::ends_on.ge(day)))
        .select(ContractRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, row: &ContractRow) -> QueryResult<()> {
    diesel::insert_into(c::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &ContractRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        c::table
            .filter(c::id.eq(row.id))
            .filter(c::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

/// The pay structures of the company, code and id, ordered by code: what a contract can name.
pub fn pay_structures_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, PayStructureId)>> {
    ps::table
        .filter(ps::company_id.eq(company_id))
        .order(ps::code.asc())
        .select((ps::code, ps::id))
        .load(conn)
}

pub fn pay_structure_exists(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PayStructureId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        ps::table
            .filter(ps::id.eq(id))
            .filter(ps::company_id.eq(company_id)),
    ))
    .get_result(conn)
}
