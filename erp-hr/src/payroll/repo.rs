use std::collections::HashMap;

use diesel::prelude::*;
use erp_core::db::schema::{
    hr_employees as e, hr_pay_components as c, hr_pay_runs as r, hr_pay_structure_components as sc,
    hr_pay_structures as ps, hr_payslip_lines as l, hr_payslips as s, partners as p,
};
use erp_core::db::DbConnection;

use erp_core::ids::{BranchId, CompanyId, PartnerId};

use crate::ids::{EmployeeId, PayRunId, PayStructureId, PayslipId};

use super::dto::PayRunStatus;
use super::model::{
    ComponentRow, PayRunRow, PayslipLineRow, PayslipRow, StructureComponentRow, StructureRow,
};

pub fn components(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<ComponentRow>> {
    c::table
        .filter(c::company_id.eq(company_id))
        .order((c::sequence.asc(), c::code.asc()))
        .select(ComponentRow::as_select())
        .load(conn)
}

pub fn component_code_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        c::table
            .filter(c::company_id.eq(company_id))
            .filter(c::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_component(conn: &mut DbConnection, row: &ComponentRow) -> QueryResult<()> {
    diesel::insert_into(c::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find_run(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PayRunId,
) -> QueryResult<Option<PayRunRow>> {
    r::table
        .find(id)
        .filter(r::company_id.eq(company_id))
        .select(PayRunRow::as_select())
        .first(conn)
        .optional()
}

pub fn run_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branch_id: BranchId,
    year: i32,
    month: i32,
) -> QueryResult<Option<PayRunRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::branch_id.eq(branch_id))
        .filter(r::year.eq(year))
        .filter(r::month.eq(month))
        .select(PayRunRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_run(conn: &mut DbConnection, row: &PayRunRow) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_run(conn: &mut DbConnection, row: &PayRunRow, expected: i64) -> QueryResult<bool> {
    diesel::update(
        r::table
            .filter(r::id.eq(row.id))
            .filter(r::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

pub fn delete_run(conn: &mut DbConnection, id: PayRunId) -> QueryResult<()> {
    let slips = s::table.filter(s::run_id.eq(id)).select(s::id);
    diesel::delete(l::table.filter(l::payslip_id.eq_any(slips))).execute(conn)?;
    diesel::delete(s::table.filter(s::run_id.eq(id))).execute(conn)?;
    diesel::delete(r::table.find(id)).execute(conn).map(|_| ())
}

/// A page of runs after a cursor's month and id, the latest month first, then by id
/// descending.
pub fn runs_page(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branch_ids: Option<&[BranchId]>,
    year: Option<i32>,
    after: Option<(i32, i32, &str)>,
    limit: i64,
) -> QueryResult<Vec<PayRunRow>> {
    let mut q = r::table.filter(r::company_id.eq(company_id)).into_boxed();
    if let Some(ids) = branch_ids {
        q = q.filter(r::branch_id.eq_any(ids));
    }
    if let Some(y) = year {
        q = q.filter(r::year.eq(y));
    }
    if let Some((y, m, id)) = after {
        let same_month = r::year.eq(y).and(r::month.eq(m));
        q = q.filter(
            r::year
                .lt(y)
                .or(r::year.eq(y).and(r::month.lt(m)))
                .or(same_month.and(r::id.lt(id.to_string()))),
        );
    }
    q.order((r::year.desc(), r::month.desc(), r::id.desc()))
        .limit(limit)
        .select(PayRunRow::as_select())
        .load(conn)
}

/// Every run of the company, the latest month first: a few per branch and month, so a
/// company holds thousands at most.
pub fn all_runs(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<PayRunRow>> {
    runs_page(conn, company_id, None, None, None, i64::MAX)
}

/// The number of payslips of each of the runs.
pub fn slip_counts(
    conn: &mut DbConnection,
    run_ids: &[PayRunId],
) -> QueryResult<HashMap<PayRunId, i64>> {
    let rows: Vec<(PayRunId, i64)> = s::table
        .filter(s::run_id.eq_any(run_ids))
        .group_by(s::run_id)
        .select((s::run_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

erp_core::insert_rows!(insert_slips, s::table, PayslipRow);
erp_core::insert_rows!(insert_lines, l::table, PayslipLineRow);

/// Marks the run's payslips with net pay paid: each one's payment carries its id.
pub fn mark_paid(conn: &mut DbConnection, run_id: PayRunId) -> QueryResult<()> {
    diesel::update(s::table.filter(s::run_id.eq(run_id)).filter(s::net.ne(0)))
        .set(s::payment_id.eq(s::id.nullable()))
        .execute(conn)
        .map(|_| ())
}

/// The bank account on file of each employee paid in the run.
pub fn bank_accounts_of_run(
    conn: &mut DbConnection,
    run_id: PayRunId,
) -> QueryResult<Vec<(EmployeeId, Option<String>)>> {
    s::table
        .inner_join(e::table.on(e::id.eq(s::employee_id)))
        .filter(s::run_id.eq(run_id))
        .select((s::employee_id, e::bank_account))
        .load(conn)
}

/// A payslip with its employee's name, number and person.
pub type NamedSlip = (PayslipRow, String, String, PartnerId);

pub fn slips_of_run(conn: &mut DbConnection, run_id: PayRunId) -> QueryResult<Vec<NamedSlip>> {
    s::table
        .inner_join(e::table.on(e::id.eq(s::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(s::run_id.eq(run_id))
        .order(p::name.asc())
        .select((PayslipRow::as_select(), p::name, e::number, e::partner_id))
        .load(conn)
}

pub fn find_slip(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PayslipId,
) -> QueryResult<Option<NamedSlip>> {
    s::table
        .inner_join(e::table.on(e::id.eq(s::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(s::id.eq(id))
        .filter(s::company_id.eq(company_id))
        .select((PayslipRow::as_select(), p::name, e::number, e::partner_id))
        .first(conn)
        .optional()
}

/// The payslips of an employee, the latest first.
pub fn slips_of_employee(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Vec<(PayslipRow, i32, i32, PayRunStatus)>> {
    s::table
        .inner_join(r::table.on(r::id.eq(s::run_id)))
        .filter(s::employee_id.eq(employee_id))
        .order((r::year.desc(), r::month.desc()))
        .select((PayslipRow::as_select(), r::year, r::month, r::status))
        .load(conn)
}

pub fn lines_of(
    conn: &mut DbConnection,
    slip_ids: &[PayslipId],
) -> QueryResult<Vec<PayslipLineRow>> {
    erp_core::db::by_chunks(slip_ids, |chunk| {
        l::table
            .filter(l::payslip_id.eq_any(chunk))
            .order((l::payslip_id.asc(), l::line_no.asc()))
            .select(PayslipLineRow::as_select())
            .load(conn)
    })
}

/// What was paid for a month so far: the month's own lines on its payslip, and the lines of
/// the employee's later payslips that corrected it.
pub fn lines_paid_for(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
    slip_id: PayslipId,
    month: &str,
) -> QueryResult<Vec<PayslipLineRow>> {
    let mut own: Vec<PayslipLineRow> = l::table
        .filter(l::payslip_id.eq(slip_id))
        .filter(l::corrects.is_null())
        .select(PayslipLineRow::as_select())
        .load(conn)?;
    let slips = s::table
        .filter(s::employee_id.eq(employee_id))
        .select(s::id);
    let corrections: Vec<PayslipLineRow> = l::table
        .filter(l::payslip_id.eq_any(slips))
        .filter(l::corrects.eq(month))
        .select(PayslipLineRow::as_select())
        .load(conn)?;
    own.extend(corrections);
    Ok(own)
}

/// A payslip in an approved or posted run, with the run's year, month and computing time.
pub type Settled = (PayslipRow, i32, i32, chrono::NaiveDateTime);

/// The payslips of the given employees in approved or posted runs of the months
/// `months.0..=months.1` (counted as year × 12 + month), month by month.
pub fn settled_slips_of(
    conn: &mut DbConnection,
    employee_ids: &[EmployeeId],
    months: (i32, i32),
) -> QueryResult<Vec<Settled>> {
    erp_core::db::by_chunks(employee_ids, |chunk| {
        s::table
            .inner_join(r::table.on(r::id.eq(s::run_id)))
            .filter(s::employee_id.eq_any(chunk))
            .filter(r::status.ne(PayRunStatus::Draft))
            .filter((r::year * 12 + r::month).between(months.0, months.1))
            .order((r::year.asc(), r::month.asc()))
            .select((PayslipRow::as_select(), r::year, r::month, r::created_at))
            .load(conn)
    })
}

pub fn structures(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<StructureRow>> {
    ps::table
        .filter(ps::company_id.eq(company_id))
        .order(ps::code.asc())
        .select(StructureRow::as_select())
        .load(conn)
}

pub fn find_structure(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PayStructureId,
) -> QueryResult<Option<StructureRow>> {
    ps::table
        .find(id)
        .filter(ps::company_id.eq(company_id))
        .select(StructureRow::as_select())
        .first(conn)
        .optional()
}

pub fn structure_code_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        ps::table
            .filter(ps::company_id.eq(company_id))
            .filter(ps::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_structure(conn: &mut DbConnection, row: &StructureRow) -> QueryResult<()> {
    diesel::insert_into(ps::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_structure_versioned(
    conn: &mut DbConnection,
    row: &StructureRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        ps::table
            .filter(ps::id.eq(row.id))
            .filter(ps::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

/// The components of the structures named, as (structure, component) pairs.
pub fn structure_components(
    conn: &mut DbConnection,
    structure_ids: &[PayStructureId],
) -> QueryResult<Vec<StructureComponentRow>> {
    sc::table
        .filter(sc::structure_id.eq_any(structure_ids))
        .select(StructureComponentRow::as_select())
        .load(conn)
}

erp_core::insert_rows!(
    insert_structure_components,
    sc::table,
    StructureComponentRow
);

/// Puts the components in place of the structure's.
pub fn set_structure_components(
    conn: &mut DbConnection,
    structure_id: PayStructureId,
    rows: &[StructureComponentRow],
) -> QueryResult<()> {
    diesel::delete(sc::table.filter(sc::structure_id.eq(structure_id))).execute(conn)?;
    insert_structure_components(conn, rows)
}
