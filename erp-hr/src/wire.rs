//! Small wire helpers shared by the HR folders.

use serde::{Deserialize, Deserializer};

/// For a PATCH field that may be set or cleared: absent is `None`, `null` is `Some(None)`,
/// a value is `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Today, by the server's clock in UTC: the date "current" assignments are read at.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
