use crate::ids::{ApiKeyId, CompanyId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::ApiKey;
use crate::db::schema::api_keys;
use crate::db::DbConnection;
use crate::pagination::PageRequest;

pub fn find_by_prefix(conn: &mut DbConnection, prefix: &str) -> QueryResult<Option<ApiKey>> {
    api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select(ApiKey::as_select())
        .first(conn)
        .optional()
}

pub fn find(
    conn: &mut DbConnection,
    id: ApiKeyId,
    company_id: CompanyId,
) -> QueryResult<Option<ApiKey>> {
    api_keys::table
        .find(id)
        .filter(api_keys::company_id.eq(company_id))
        .select(ApiKey::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, key: &ApiKey) -> QueryResult<()> {
    diesel::insert_into(api_keys::table)
        .values(key)
        .execute(conn)
        .map(|_| ())
}

pub fn revoke(conn: &mut DbConnection, id: ApiKeyId, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        api_keys::table
            .find(id)
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(Some(at)))
    .execute(conn)
    .map(|_| ())
}

/// Records use, at most once a minute per key so that reads do not all become writes.
pub fn touch(conn: &mut DbConnection, id: ApiKeyId, at: NaiveDateTime) -> QueryResult<()> {
    let stale = at - chrono::Duration::seconds(60);
    diesel::update(
        api_keys::table.find(id).filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.lt(stale)),
        ),
    )
    .set(api_keys::last_used_at.eq(Some(at)))
    .execute(conn)
    .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    user_id: Option<UserId>,
    page: &PageRequest,
) -> QueryResult<Vec<ApiKey>> {
    let mut q = api_keys::table
        .filter(api_keys::company_id.eq(company_id))
        .into_boxed();
    if let Some(u) = user_id {
        q = q.filter(api_keys::user_id.eq(u.to_string()));
    }
    if let Some(after) = &page.after {
        q = q.filter(api_keys::id.gt(after.clone()));
    }
    q.order(api_keys::id.asc())
        .limit(page.fetch_limit())
        .select(ApiKey::as_select())
        .load(conn)
}
