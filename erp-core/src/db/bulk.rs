//! Many rows in few statements: `COPY` on PostgreSQL, multi-row `INSERT`s on SQLite. The
//! `MultiConnection` does not compile batch inserts, so each backend is reached directly.

/// Defines `pub fn $name(conn, rows) -> QueryResult<()>` inserting all `rows` into `$table`:
/// one `COPY` on PostgreSQL, 500 rows a statement on SQLite (well under its 32,766
/// parameters for any of our tables). Where a row type is `Insertable` for `$table`.
#[macro_export]
macro_rules! insert_rows {
    ($(#[$doc:meta])* $name:ident, $table:path, $row:ty) => {
        $(#[$doc])*
        pub fn $name(
            conn: &mut $crate::db::DbConnection,
            rows: &[$row],
        ) -> ::diesel::QueryResult<()> {
            use ::diesel::RunQueryDsl;
            if rows.is_empty() {
                return Ok(());
            }
            match conn {
                $crate::db::DbConnection::Postgresql(pg) => {
                    ::diesel::copy_from($table).from_insertable(rows).execute(pg)?;
                }
                $crate::db::DbConnection::Sqlite(sqlite) => {
                    for chunk in rows.chunks(500) {
                        ::diesel::insert_into($table).values(chunk).execute(sqlite)?;
                    }
                }
            }
            Ok(())
        }
    };
}

/// Runs a query filtered by `ids` a thousand ids at a time and joins the results, so a list
/// of any length stays under the backends' parameter limits (SQLite 32,766, PostgreSQL 65,535).
pub fn by_chunks<I, T>(
    ids: &[I],
    mut query: impl FnMut(&[I]) -> diesel::QueryResult<Vec<T>>,
) -> diesel::QueryResult<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        out.extend(query(chunk)?);
    }
    Ok(out)
}
