use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{work_center_days_off as wd, work_centers as wc};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use crate::ids::WorkCenterId;
use crate::model::{DayOff, WorkCenter};
use erp_hr::ids::EmployeeId;

pub fn find(
    conn: &mut DbConnection,
    id: WorkCenterId,
    company_id: CompanyId,
) -> QueryResult<Option<WorkCenter>> {
    wc::table
        .find(id)
        .filter(wc::company_id.eq(company_id))
        .select(WorkCenter::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        wc::table
            .filter(wc::company_id.eq(company_id))
            .filter(erp_core::db::lower(wc::code).eq(code.to_lowercase())),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, w: &WorkCenter) -> QueryResult<()> {
    diesel::insert_into(wc::table)
        .values(w)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    w: &WorkCenter,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        wc::table
            .filter(wc::id.eq(&w.id))
            .filter(wc::version.eq(expected)),
    )
    .set((
        wc::name.eq(&w.name),
        wc::hours_per_day.eq(w.hours_per_day),
        wc::units.eq(w.units),
        wc::efficiency.eq(w.efficiency),
        wc::utilization.eq(w.utilization),
        wc::working_days.eq(&w.working_days),
        wc::cost_per_hour.eq(w.cost_per_hour),
        wc::active.eq(w.active),
        wc::version.eq(w.version),
        wc::updated_at.eq(w.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn list(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<WorkCenter>> {
    wc::table
        .filter(wc::company_id.eq(company_id))
        .order(wc::code)
        .select(WorkCenter::as_select())
        .load(conn)
}

pub fn days_off(
    conn: &mut DbConnection,
    work_center_id: WorkCenterId,
) -> QueryResult<Vec<NaiveDate>> {
    wd::table
        .filter(wd::work_center_id.eq(work_center_id))
        .order(wd::day)
        .select(wd::day)
        .load(conn)
}

pub fn replace_days_off(
    conn: &mut DbConnection,
    work_center_id: WorkCenterId,
    days: &[NaiveDate],
) -> QueryResult<()> {
    diesel::delete(wd::table.filter(wd::work_center_id.eq(work_center_id))).execute(conn)?;
    for d in days {
        diesel::insert_into(wd::table)
            .values(&DayOff {
                work_center_id,
                day: *d,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The ids of the employees who staff the work center.
pub fn staff_of(
    conn: &mut DbConnection,
    work_center_id: WorkCenterId,
) -> QueryResult<Vec<EmployeeId>> {
    use erp_core::db::schema::work_center_staff as ws;
    ws::table
        .filter(ws::work_center_id.eq(work_center_id))
        .order(ws::employee_id.asc())
        .select(ws::employee_id)
        .load(conn)
}

pub fn replace_staff(
    conn: &mut DbConnection,
    work_center_id: WorkCenterId,
    employee_ids: &[EmployeeId],
) -> QueryResult<()> {
    use erp_core::db::schema::work_center_staff as ws;
    diesel::delete(ws::table.filter(ws::work_center_id.eq(work_center_id))).execute(conn)?;
    for e in employee_ids {
        diesel::insert_into(ws::table)
            .values((ws::work_center_id.eq(work_center_id), ws::employee_id.eq(e)))
            .execute(conn)?;
    }
    Ok(())
}
