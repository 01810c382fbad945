//! State enums stored as TEXT. One list of names serves the wire (serde), the contract
//! (utoipa) and the database (diesel on both backends), so a row holds the enum itself and
//! rules compare states, not strings.

/// Declares a state enum whose variants are stored, sent and documented under the names
/// given:
///
/// ```ignore
/// erp_core::text_enum! {
///     /// Where an invoice is in its life.
///     pub enum InvoiceStatus {
///         Draft = "draft",
///         Posted = "posted",
///     }
/// }
/// ```
///
/// A row field of that type reads and writes a TEXT column; a stored name that is not in the
/// list is a deserialization error (corrupt data), never a silent default.
// The names are token trees, not `literal` fragments: a `literal` reaches the derives wrapped in
// an invisible group, which serde reads through but utoipa does not (the contract would show
// the variants' Rust names).
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// The name stored and sent for this state.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// The state a stored name stands for.
            pub fn from_text(text: &str) -> Option<Self> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }

            fn from_stored(
                text: &str,
            ) -> diesel::deserialize::Result<Self> {
                Self::from_text(text).ok_or_else(|| {
                    format!("unexpected stored {} '{text}'", stringify!($name)).into()
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::__text_sql!($name, |state| state.as_str(), |text| $name::from_stored(text));
    };
}

/// The diesel half of a type stored as TEXT, on SQLite, PostgreSQL and the multi-backend
/// connection: `|v| ...` gives the text stored for a value (a `&'static str` or a `String`),
/// `|text| ...` reads a stored `&str` back into a `diesel::deserialize::Result`. Used by
/// [`text_enum!`] and `entity_id!`, so both store their values by the same code.
#[doc(hidden)]
#[macro_export]
macro_rules! __text_sql {
    ($name:ident, |$value:ident| $to_text:expr, |$text:ident| $from_text:expr) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                let $value = self;
                out.set_value($to_text);
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                use std::io::Write;
                let $value = self;
                out.write_all(AsRef::<str>::as_ref(&$to_text).as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, $crate::db::MultiBackend> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                out.set_value((diesel::sql_types::Text, self));
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::sqlite::Sqlite>
            for $name
        {
            fn from_sql(
                bytes: <diesel::sqlite::Sqlite as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let stored = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::sqlite::Sqlite,
                >>::from_sql(bytes)?;
                let $text: &str = &stored;
                $from_text
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(
                bytes: <diesel::pg::Pg as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let $text: &str = std::str::from_utf8(bytes.as_bytes())?;
                $from_text
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, $crate::db::MultiBackend>
            for $name
        {
            fn from_sql(
                bytes: <$crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                bytes.from_sql::<Self, diesel::sql_types::Text>()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use diesel::sqlite::SqliteConnection;

    use crate::db::DbConnection;

    crate::text_enum! {
        /// A state for the test.
        pub enum Light {
            Green = "green",
            AmberFlashing = "amber_flashing",
        }
    }

    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = Text)]
        light: Light,
    }

    fn conn() -> DbConnection {
        DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap())
    }

    #[test]
    fn a_state_goes_into_the_database_and_comes_back_under_its_name() {
        let mut c = conn();
        let back: Vec<Stored> = diesel::sql_query("SELECT ? AS light")
            .bind::<Text, _>(Light::AmberFlashing)
            .load(&mut c)
            .unwrap();
        assert_eq!(back[0].light, Light::AmberFlashing);
        let named: Vec<Stored> = diesel::sql_query("SELECT 'green' AS light")
            .load(&mut c)
            .unwrap();
        assert_eq!(named[0].light, Light::Green);
        assert_eq!(Light::AmberFlashing.as_str(), "amber_flashing");
        assert_eq!(
            serde_json::to_string(&Light::AmberFlashing).unwrap(),
            "\"amber_flashing\""
        );
    }

    #[test]
    fn a_stored_name_outside_the_list_is_an_error_not_a_default() {
        let err = diesel::sql_query("SELECT 'red' AS light")
            .load::<Stored>(&mut conn())
            .err()
            .expect("an unknown state must not load");
        assert!(
            err.to_string().contains("unexpected stored Light 'red'"),
            "{err}"
        );
        assert_eq!(Light::from_text("Green"), None);
    }
}
