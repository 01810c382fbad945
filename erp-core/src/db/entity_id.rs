//! The `entity_id!` macro: typed ids, `Uuid` on the wire and TEXT in the database on both
//! backends. The ids of the platform are declared in `crate::ids`.

#[macro_export]
macro_rules! entity_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7())
            }

            /// Parses an id read from the database; a malformed one is corrupt data.
            pub fn from_db(s: &str) -> Result<Self, $crate::error::AppError> {
                uuid::Uuid::parse_str(s).map($name).map_err(|_| {
                    $crate::error::AppError::Internal(format!(
                        "malformed {} in the database: {s}",
                        stringify!($name)
                    ))
                })
            }

            /// An optional id read from the database, as [`Self::from_db`] reads one.
            pub fn from_db_opt(s: Option<&str>) -> Result<Option<Self>, $crate::error::AppError> {
                s.map(Self::from_db).transpose()
            }

            pub fn to_db(self) -> String {
                self.0.to_string()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                $name(id)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        // Stored as `Uuid`'s hyphenated lower case, as every id column holds it.
        $crate::__text_sql!($name, |id| id.0.to_string(), |text| {
            $crate::db::entity_id::parse_stored(text, stringify!($name)).map($name)
        });
    };
}

/// A stored id's text as a UUID; anything else is corrupt data, reported with the id's type.
#[doc(hidden)]
pub fn parse_stored(text: &str, what: &str) -> diesel::deserialize::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text)
        .map_err(|_| format!("malformed {what} in the database: {text}").into())
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use diesel::sqlite::SqliteConnection;

    use crate::db::DbConnection;
    use crate::ids::UserId;

    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = Text)]
        id: UserId,
    }

    fn conn() -> DbConnection {
        DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap())
    }

    #[test]
    fn an_id_is_stored_as_its_hyphenated_text_and_reads_back() {
        let id = UserId::new();
        let mut c = conn();
        let text: Vec<Stored> = diesel::sql_query("SELECT lower(?) AS id")
            .bind::<Text, _>(id)
            .load(&mut c)
            .unwrap();
        assert_eq!(text[0].id, id);
        #[derive(QueryableByName)]
        struct Raw {
            #[diesel(sql_type = Text)]
            id: String,
        }
        let raw: Vec<Raw> = diesel::sql_query("SELECT ? AS id")
            .bind::<Text, _>(id)
            .load(&mut c)
            .unwrap();
        assert_eq!(raw[0].id, id.to_db());
    }

    #[test]
    fn a_stored_text_that_is_no_uuid_is_an_error_naming_the_id() {
        let err = diesel::sql_query("SELECT 'not-an-id' AS id")
            .load::<Stored>(&mut conn())
            .err()
            .expect("a malformed id must not load");
        assert!(
            err.to_string()
                .contains("malformed UserId in the database: not-an-id"),
            "{err}"
        );
    }
}
