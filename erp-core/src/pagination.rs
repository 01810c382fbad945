//! Cursor pagination, the one way every list endpoint pages.
//!
//! Rows are ordered by id; ids are UUIDv7, so that is creation order. The cursor is opaque
//! to clients (base64 of the last id seen). `updated_since` lets a branch office or an
//! integrator sync incrementally.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{AppError, Validator};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// Paging parameters accepted by every list endpoint.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1, max_length = 200)]
    pub cursor: Option<String>,
    /// Only records changed at or after this instant (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Validated paging parameters for a repository query.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    /// Return rows with id greater than this.
    pub after: Option<String>,
    pub updated_since: Option<NaiveDateTime>,
}

/// Every item of a list, read page by page at the largest page size through the list's own
/// service (so its rights and filters hold): what an export of a whole list uses.
pub fn every_page<T>(
    mut page: impl FnMut(&ListParams) -> Result<(Vec<T>, Option<String>), AppError>,
) -> Result<Vec<T>, AppError> {
    let mut all = Vec::new();
    let mut params = ListParams {
        limit: Some(MAX_LIMIT),
        ..ListParams::default()
    };
    loop {
        let (items, next) = page(&params)?;
        all.extend(items);
        match next {
            Some(cursor) => params.cursor = Some(cursor),
            None => return Ok(all),
        }
    }
}

impl ListParams {
    pub fn validate(&self) -> Result<PageRequest, AppError> {
        let (limit, after) = limit_and_cursor(self.limit, self.cursor.as_deref(), decode_cursor)?;
        Ok(PageRequest {
            limit,
            after,
            updated_since: self.updated_since.map(|t| t.naive_utc()),
        })
    }
}

/// The page size and the decoded cursor of a list's query, each refused by name.
fn limit_and_cursor<T>(
    limit: Option<i64>,
    cursor: Option<&str>,
    decode: impl Fn(&str) -> Option<T>,
) -> Result<(i64, Option<T>), AppError> {
    let mut v = Validator::new();
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    v.check(
        (1..=MAX_LIMIT).contains(&limit),
        "limit",
        "must be between 1 and 500",
    );
    let after = cursor.and_then(|c| {
        let decoded = decode(c);
        if decoded.is_none() {
            v.add("cursor", "is not a cursor returned by this list");
        }
        decoded
    });
    v.finish()?;
    Ok((limit, after))
}

/// Cuts rows fetched one past the page to the page; the page's last row when more follow.
fn cut<R>(rows: &mut Vec<R>, limit: i64) -> Option<&R> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if more {
        rows.last()
    } else {
        None
    }
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let id = text.strip_prefix("id:")?;
    uuid::Uuid::parse_str(id).ok().map(|u| u.to_string())
}

fn encode_cursor(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{last_id}"))
}

impl PageRequest {
    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts `rows` (fetched with [`PageRequest::fetch_limit`], ordered by id) to the page
    /// and returns the cursor of the next page, if any.
    pub fn finish<R>(
        &self,
        mut rows: Vec<R>,
        id_of: impl Fn(&R) -> &str,
    ) -> (Vec<R>, Option<String>) {
        let next = cut(&mut rows, self.limit).map(|last| encode_cursor(id_of(last)));
        (rows, next)
    }

    /// As [`PageRequest::finish`], for rows that hold a typed id.
    pub fn finish_typed<R, I: std::fmt::Display>(
        &self,
        mut rows: Vec<R>,
        id_of: impl Fn(&R) -> I,
    ) -> (Vec<R>, Option<String>) {
        let next = cut(&mut rows, self.limit).map(|last| encode_cursor(&id_of(last).to_string()));
        (rows, next)
    }
}

/// Declares the response type of a list endpoint: `{ "items": [...], "next_cursor": ... }`.
#[macro_export]
macro_rules! page_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; absent on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

/// Paging parameters of a list kept in an order of its own (most urgent first, newest
/// first) rather than creation order: `limit` and `cursor`, no `updated_since`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1, max_length = 200)]
    pub cursor: Option<String>,
}

/// A page of a list ordered by a key of its own (a timestamp by default) and then by id
/// (either way): the cursor holds the last row's key and id, so a page starts right after it
/// however rows were added.
#[derive(Debug, Clone)]
pub struct KeyedPage<K = NaiveDateTime> {
    pub limit: i64,
    pub after: Option<(K, String)>,
}

/// A sort key a cursor can carry, written as text inside the (opaque) cursor.
pub trait CursorKey: Sized {
    fn encode(&self) -> String;
    fn decode(text: &str) -> Option<Self>;
}

const KEY_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

impl CursorKey for NaiveDateTime {
    fn encode(&self) -> String {
        self.format(KEY_FORMAT).to_string()
    }
    fn decode(text: &str) -> Option<Self> {
        NaiveDateTime::parse_from_str(text, KEY_FORMAT).ok()
    }
}

/// A date, written `YYYY-MM-DD`.
impl CursorKey for NaiveDate {
    fn encode(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
    fn decode(text: &str) -> Option<Self> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }
}

/// A date that may be absent: absent dates sort first and are written `-`.
impl CursorKey for Option<NaiveDate> {
    fn encode(&self) -> String {
        self.map_or_else(|| "-".to_string(), |d| d.encode())
    }
    fn decode(text: &str) -> Option<Self> {
        match text {
            "-" => Some(None),
            d => NaiveDate::decode(d).map(Some),
        }
    }
}

/// A code (a currency, say): 1 to 32 letters, digits, `_` or `-`.
impl CursorKey for String {
    fn encode(&self) -> String {
        self.clone()
    }
    fn decode(text: &str) -> Option<Self> {
        let ok = (1..=32).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| text.to_string())
    }
}

/// A page of a list whose rows are named by two keys of their own and no id (exchange rates:
/// currency, then date), ordered by both ascending.
#[derive(Debug, Clone)]
pub struct PairPage<A, B> {
    pub limit: i64,
    pub after: Option<(A, B)>,
}

impl<A: CursorKey, B: CursorKey> PairPage<A, B> {
    /// One more row than the page, to know whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// The page's rows and the cursor of the next page (`None` on the last).
    pub fn finish<R>(
        &self,
        mut rows: Vec<R>,
        keys_of: impl Fn(&R) -> (A, B),
    ) -> (Vec<R>, Option<String>) {
        let next = cut(&mut rows, self.limit).map(|last| {
            let (a, b) = keys_of(last);
            two_keys_cursor("pair", &a.encode(), &b.encode())
        });
        (rows, next)
    }
}

fn decode_pair<A: CursorKey, B: CursorKey>(cursor: &str) -> Option<(A, B)> {
    let (a, b) = two_keys_of(cursor, "pair")?;
    Some((A::decode(&a)?, B::decode(&b)?))
}

/// The opaque cursor `prefix:a|b`.
fn two_keys_cursor(prefix: &str, a: &str, b: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{prefix}:{a}|{b}"))
}

/// The two keys of a cursor written by [`two_keys_cursor`] with `prefix` (`b` after the last
/// `|`).
fn two_keys_of(cursor: &str, prefix: &str) -> Option<(String, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (a, b) = text
        .strip_prefix(prefix)?
        .strip_prefix(':')?
        .rsplit_once('|')?;
    Some((a.to_string(), b.to_string()))
}

impl PageParams {
    /// The page of a list ordered by two keys of its own.
    pub fn validate_pair<A: CursorKey, B: CursorKey>(&self) -> Result<PairPage<A, B>, AppError> {
        let (limit, after) =
            limit_and_cursor(self.limit, self.cursor.as_deref(), decode_pair::<A, B>)?;
        Ok(PairPage { limit, after })
    }

    /// The page of a list ordered by a timestamp and id.
    pub fn validate(&self) -> Result<KeyedPage, AppError> {
        self.validate_by()
    }

    /// The page of a list ordered by a key of type `K` and id.
    pub fn validate_by<K: CursorKey>(&self) -> Result<KeyedPage<K>, AppError> {
        let (limit, after) = limit_and_cursor(self.limit, self.cursor.as_deref(), decode_key::<K>)?;
        Ok(KeyedPage { limit, after })
    }
}

fn decode_key<K: CursorKey>(cursor: &str) -> Option<(K, String)> {
    let (key, id) = two_keys_of(cursor, "at")?;
    let id = uuid::Uuid::parse_str(&id).ok()?.to_string();
    Some((K::decode(&key)?, id))
}

impl<K: CursorKey> KeyedPage<K> {
    /// One more row than the page, to know whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// The page's rows and the cursor of the next page (`None` on the last).
    pub fn finish<R>(
        &self,
        mut rows: Vec<R>,
        key_of: impl Fn(&R) -> (K, &str),
    ) -> (Vec<R>, Option<String>) {
        let next = cut(&mut rows, self.limit).map(|last| {
            let (key, id) = key_of(last);
            two_keys_cursor("at", &key.encode(), id)
        });
        (rows, next)
    }

    /// As [`KeyedPage::finish`], for rows that hold a typed id.
    pub fn finish_typed<R, I: std::fmt::Display>(
        &self,
        rows: Vec<R>,
        key_of: impl Fn(&R) -> (K, I),
    ) -> (Vec<R>, Option<String>) {
        let mut rows = rows;
        let next = cut(&mut rows, self.limit).map(|last| {
            let (key, id) = key_of(last);
            two_keys_cursor("at", &key.encode(), &id.to_string())
        });
        (rows, next)
    }
}

/// Narrows a boxed query to the rows after a [`KeyedPage`]'s cursor, for a list ordered by
/// `($at, $id)` ascending (`asc`) or descending (`desc`).
#[macro_export]
macro_rules! after_key {
    ($query:expr, $page:expr, $at:expr, $id:expr, asc) => {
        match &$page.after {
            Some((at, id)) => $query.filter($at.gt(*at).or($at.eq(*at).and($id.gt(id.clone())))),
            None => $query,
        }
    };
    ($query:expr, $page:expr, $at:expr, $id:expr, desc) => {
        match &$page.after {
            Some((at, id)) => $query.filter($at.lt(*at).or($at.eq(*at).and($id.lt(id.clone())))),
            None => $query,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_follows_the_cursor_to_the_last_page_at_the_largest_size() {
        let pages = [
            (vec![1, 2], Some("a")),
            (vec![3], Some("b")),
            (vec![], None),
        ];
        let mut asked = Vec::new();
        let all = every_page(|p| {
            asked.push((p.limit, p.cursor.clone()));
            let (items, next) = &pages[asked.len() - 1];
            Ok((items.clone(), next.map(String::from)))
        })
        .unwrap();
        assert_eq!(all, [1, 2, 3]);
        assert_eq!(
            asked,
            [
                (Some(MAX_LIMIT), None),
                (Some(MAX_LIMIT), Some("a".to_string())),
                (Some(MAX_LIMIT), Some("b".to_string()))
            ]
        );
    }
}
