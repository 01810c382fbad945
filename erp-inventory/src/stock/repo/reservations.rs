use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::reservations as r;
use erp_core::db::DbConnection;
use erp_core::ids::{CompanyId, UserId};

use crate::ids::{ItemId, LocationId};
use crate::stock::states::ReservationStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = r)]
pub struct Reservation {
    pub id: String,
    pub company_id: CompanyId,
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: String,
    pub quantity: i64,
    pub consumed: i64,
    pub status: ReservationStatus,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub user_id: UserId,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<Reservation>> {
    r::table
        .find(id)
        .filter(r::company_id.eq(company_id))
        .select(Reservation::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, x: &Reservation) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values(x)
        .execute(conn)
        .map(|_| ())
}

/// Counts `qty` as issued against an open reservation that has that much left; closes it
/// when nothing is left. False when it has not.
pub fn consume(conn: &mut DbConnection, id: &str, qty: i64) -> QueryResult<bool> {
    let n = diesel::update(
        r::table
            .find(id)
            .filter(r::status.eq(ReservationStatus::Open))
            .filter((r::quantity - r::consumed).ge(qty)),
    )
    .set((
        r::consumed.eq(r::consumed + qty),
        r::version.eq(r::version + 1),
        r::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)?;
    diesel::update(
        r::table
            .find(id)
            .filter(r::status.eq(ReservationStatus::Open))
            .filter(r::consumed.eq(r::quantity)),
    )
    .set(r::status.eq(ReservationStatus::Consumed))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves an open reservation to `released`; false when it was not open (someone else won).
pub fn release(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        r::table
            .find(id)
            .filter(r::status.eq(ReservationStatus::Open)),
    )
    .set((
        r::status.eq(ReservationStatus::Released),
        r::version.eq(r::version + 1),
        r::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Default)]
pub struct ReservationFilter {
    pub item_id: Option<String>,
    pub status: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &ReservationFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Reservation>> {
    let mut q = r::table.filter(r::company_id.eq(company_id)).into_boxed();
    if let Some(i) = &f.item_id {
        q = q.filter(r::item_id.eq(i.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(r::status.eq(s.clone()));
    }
    if let Some(t) = &f.reference_type {
        q = q.filter(r::reference_type.eq(t.clone()));
    }
    if let Some(id) = &f.reference_id {
        q = q.filter(r::reference_id.eq(id.clone()));
    }
    if let Some(a) = after {
        q = q.filter(r::id.gt(a.to_string()));
    }
    q.order(r::id.asc())
        .limit(limit)
        .select(Reservation::as_select())
        .load(conn)
}
