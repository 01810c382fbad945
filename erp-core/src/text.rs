//! The one text policy at the boundary, the same on both backends (PostgreSQL refuses NUL in
//! text, SQLite stores it): every string a client sends, in a JSON body, a query parameter or
//! a path, is checked and normalised before any service sees it.
//!
//! - Control characters (C0, DEL, C1) are refused with 422 naming the field. Tab, line feed
//!   and carriage return pass here; single-line fields refuse them in their own validation
//!   ([`crate::error::Validator::text`]), and query parameters and paths refuse them here.
//! - Text is normalised to Unicode NFC, so values that look the same compare the same
//!   (SKUs, codes, user names, e-mail addresses, searches).

use std::borrow::Cow;

use serde_json::Value;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::{AppError, FieldError};

/// The first character of `s` the policy refuses; `multiline` lets tab, LF and CR pass.
pub fn refused_char(s: &str, multiline: bool) -> Option<char> {
    s.chars()
        .find(|&c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
}

/// A date or timestamp whose year is outside 0001..=9999 (`0000-01-01`, `+12345-...`,
/// `-0001-...`): the contract's dates are four-digit years of the common era.
pub fn out_of_range_date(s: &str) -> bool {
    let (signed, rest) = match s.strip_prefix(['+', '-']) {
        Some(r) => (true, r),
        None => (false, s),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let tail = &rest.as_bytes()[digits..];
    let looks_like_date = digits >= 4
        && tail.len() >= 6
        && tail[0] == b'-'
        && tail[1..3].iter().all(u8::is_ascii_digit)
        && tail[3] == b'-'
        && tail[4..6].iter().all(u8::is_ascii_digit)
        && (tail.len() == 6 || matches!(tail[6], b'T' | b't' | b' '));
    looks_like_date && (signed || digits > 4 || rest[..digits].bytes().all(|b| b == b'0'))
}

fn date_refusal(field: String) -> AppError {
    AppError::Validation(vec![FieldError::new(
        field,
        "is not a date between 0001-01-01 and 9999-12-31",
    )])
}

fn refusal(field: String, c: char) -> AppError {
    AppError::Validation(vec![FieldError::new(
        field,
        format!(
            "must not contain control characters (found U+{:04X})",
            c as u32
        ),
    )])
}

/// Text in NFC, borrowed when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => {
            let n: String = s.nfc().collect();
            if n == s {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(n)
            }
        }
    }
}

/// A JSON body under the policy: the same bytes when nothing needed doing (ASCII without
/// escapes, the usual case, is checked without parsing), else the normalised document.
/// Malformed JSON is left for the parser to report.
pub fn clean_json(bytes: &[u8]) -> Result<Cow<'_, [u8]>, AppError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Cow::Borrowed(bytes));
    };
    let escapes = text.contains('\\');
    let odd_dates = text.contains("\"0000-") || text.contains("\"+") || text.contains("\"-");
    let c1 = !text.is_ascii() && text.chars().any(|c| c.is_control());
    let normal = text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if !escapes && !c1 && normal && !odd_dates {
        return Ok(Cow::Borrowed(bytes));
    }
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return Ok(Cow::Borrowed(bytes));
    };
    let mut changed = false;
    walk(&mut value, &mut String::new(), &mut changed)?;
    if !changed {
        return Ok(Cow::Borrowed(bytes));
    }
    serde_json::to_vec(&value)
        .map(Cow::Owned)
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn walk(value: &mut Value, path: &mut String, changed: &mut bool) -> Result<(), AppError> {
    match value {
        Value::String(s) => {
            let field = || {
                if path.is_empty() {
                    "body".into()
                } else {
                    path.clone()
                }
            };
            if let Some(c) = refused_char(s, true) {
                return Err(refusal(field(), c));
            }
            if out_of_range_date(s) {
                return Err(date_refusal(field()));
            }
            if let Cow::Owned(n) = nfc(s) {
                *s = n;
                *changed = true;
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, changed)?;
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if let Some(c) = refused_char(key, false) {
                    return Err(refusal(format!("{path}{key}"), c));
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                walk(item, path, changed)?;
                path.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Refuses a control character in any query parameter (name or value, after decoding) or in
/// the decoded path.
pub fn check_request_line(path: &str, query: &str) -> Result<(), AppError> {
    if path.contains('%') {
        let decoded: Vec<u8> = percent_decode(path);
        if let Some(c) = refused_char(&String::from_utf8_lossy(&decoded), false) {
            return Err(refusal("path".into(), c));
        }
    }
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if let Some(c) = refused_char(&name, false).or_else(|| refused_char(&value, false)) {
            return Err(refusal(name.into_owned(), c));
        }
        if out_of_range_date(&value) {
            return Err(date_refusal(name.into_owned()));
        }
    }
    Ok(())
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The query string with every name and value in NFC (borrowed when it already is).
pub fn nfc_query(query: &str) -> Cow<'_, str> {
    if query.is_ascii() && !query.contains('%') {
        return Cow::Borrowed(query);
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (nfc(&k).into_owned(), nfc(&v).into_owned()))
        .collect();
    let unchanged = form_urlencoded::parse(query.as_bytes())
        .zip(&pairs)
        .all(|((k, v), (nk, nv))| k == nk.as_str() && v == nv.as_str());
    if unchanged {
        return Cow::Borrowed(query);
    }
    Cow::Owned(
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish(),
    )
}

/// Text made safe inside XML or HTML (an SVG chart, a printable document): the five
/// characters with a meaning there become entities.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_with_the_field() {
        let err = clean_json(br#"{"name":"ok","lines":[{"note":"a\u0000b"}]}"#).unwrap_err();
        assert_eq!(err.problem().errors[0].field, "lines[0].note");
        assert!(clean_json(br#"{"notes":"line 1\nline 2\tend"}"#).is_ok());
        assert!(clean_json("{\"n\":\"a\u{85}b\"}".as_bytes()).is_err());
        assert!(clean_json(br#"{"n":"\u007f"}"#).is_err());
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        // "é" as e + combining acute, escaped and raw, becomes the one precomposed character.
        let out = clean_json(br#"{"sku":"caf\u0065\u0301"}"#).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&out).unwrap()["sku"],
            "caf\u{e9}"
        );
        let raw = "{\"sku\":\"cafe\u{301}\"}";
        let out = clean_json(raw.as_bytes()).unwrap();
        assert!(std::str::from_utf8(&out).unwrap().contains('\u{e9}'));
        // Plain ASCII passes untouched, without a parse.
        assert!(matches!(
            clean_json(br#"{"a":"b"}"#).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn dates_outside_the_four_digit_years_are_refused() {
        assert!(clean_json(br#"{"due":"0000-01-01"}"#).is_err());
        assert!(clean_json(br#"{"at":"0000-12-31T00:00:00Z"}"#).is_err());
        assert!(clean_json(br#"{"due":"+12026-01-01"}"#).is_err());
        assert!(
            clean_json(br#"{"due":"2026-01-01","qty":"-5","n":"-","p":"+1234-567-890"}"#).is_ok()
        );
        assert!(check_request_line("/x", "from=0000-01-01").is_err());
    }

    #[test]
    fn query_and_path_are_checked_after_decoding() {
        assert!(check_request_line("/api/v1/partners", "q=%00").is_err());
        assert!(check_request_line("/api/v1/partners", "q=a%0Ab").is_err());
        assert!(check_request_line("/api/v1/items/%00", "").is_err());
        assert!(check_request_line("/api/v1/partners", "q=M%C3%BCller&limit=5").is_ok());
        assert_eq!(nfc_query("q=cafe%CC%81"), "q=caf%C3%A9");
    }
}
