//! The installation's own settings (`system_settings`): a key and a text value each.

use diesel::prelude::*;

use super::schema::system_settings as ss;
use super::DbConnection;

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    ss::table.find(key).select(ss::value).first(conn).optional()
}

pub fn insert(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<()> {
    diesel::insert_into(ss::table)
        .values((ss::key.eq(key), ss::value.eq(value)))
        .execute(conn)
        .map(|_| ())
}
