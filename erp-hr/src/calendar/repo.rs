use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{hr_calendars as c, hr_holidays as h};
use erp_core::db::DbConnection;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::pagination::PageRequest;

use super::model::{CalendarRow, HolidayRow};
use crate::ids::{CalendarId, HolidayId};

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: CalendarId,
) -> QueryResult<Option<CalendarRow>> {
    c::table
        .find(id)
        .filter(c::company_id.eq(company_id))
        .select(CalendarRow::as_select())
        .first(conn)
        .optional()
}

pub fn default_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Option<CalendarRow>> {
    c::table
        .filter(c::company_id.eq(company_id))
        .filter(c::is_default.eq(true))
        .select(CalendarRow::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        c::table
            .filter(c::company_id.eq(company_id))
            .filter(c::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &CalendarRow) -> QueryResult<()> {
    diesel::insert_into(c::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &CalendarRow,
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

/// Takes the default flag from every other calendar of the company.
pub fn clear_default(
    conn: &mut DbConnection,
    company_id: CompanyId,
    except: CalendarId,
) -> QueryResult<()> {
    diesel::update(
        c::table
            .filter(c::company_id.eq(company_id))
            .filter(c::id.ne(except))
            .filter(c::is_default.eq(true)),
    )
    .set(c::is_default.eq(false))
    .execute(conn)
    .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<CalendarRow>> {
    let mut q = c::table.filter(c::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(c::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(c::id.gt(after.clone()));
    }
    q.order(c::id.asc())
        .limit(page.fetch_limit())
        .select(CalendarRow::as_select())
        .load(conn)
}

pub fn holiday_on(
    conn: &mut DbConnection,
    branch_id: BranchId,
    day: NaiveDate,
) -> QueryResult<Option<HolidayRow>> {
    h::table
        .filter(h::branch_id.eq(branch_id))
        .filter(h::day.eq(day))
        .select(HolidayRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_holiday(conn: &mut DbConnection, row: &HolidayRow) -> QueryResult<()> {
    diesel::insert_into(h::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find_holiday(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: HolidayId,
) -> QueryResult<Option<HolidayRow>> {
    h::table
        .find(id)
        .filter(h::company_id.eq(company_id))
        .select(HolidayRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_holiday(conn: &mut DbConnection, id: HolidayId) -> QueryResult<()> {
    diesel::delete(h::table.find(id)).execute(conn).map(|_| ())
}

/// Holidays of the branches between two dates, by day.
pub fn holidays(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branch_ids: Option<&[BranchId]>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<HolidayRow>> {
    let mut q = h::table
        .filter(h::company_id.eq(company_id))
        .filter(h::day.between(from, to))
        .into_boxed();
    if let Some(ids) = branch_ids {
        q = q.filter(h::branch_id.eq_any(ids));
    }
    q.order((h::day.asc(), h::branch_id.asc()))
        .select(HolidayRow::as_select())
        .load(conn)
}

/// The id of the company's branch with the code.
pub fn branch_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<Option<BranchId>> {
    use erp_core::db::schema::branches as b;
    b::table
        .filter(b::company_id.eq(company_id))
        .filter(b::code.eq(code))
        .select(b::id)
        .first(conn)
        .optional()
}

/// Each work calendar of the company by its code.
pub fn ids_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, CalendarId)>> {
    c::table
        .filter(c::company_id.eq(company_id))
        .select((c::code, c::id))
        .load(conn)
}
