//! The keys phone numbers are matched by (E.164 as the company dials), and the data
//! migration that computed them for numbers stored before.

use super::repo;
use crate::db::{write_tx, DbConnection};
use crate::error::AppError;
use crate::phone::Dialling;

/// The key a phone number is matched by: E.164 as the company dials (`040 5550199` in
/// Germany is `+49405550199`); a number stored before that could not be read keeps its
/// digits (with a leading `+`).
pub fn normalize_phone(raw: &str, dialling: &Dialling) -> String {
    dialling.e164(raw).unwrap_or_else(|_| {
        let trimmed = raw.trim();
        let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
        if trimmed.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    })
}

/// Data migration: the keys of the phone numbers stored before E.164, computed anew with
/// each company's country, once (`partner_phones_e164`). Returns how many changed.
pub fn migrate_phone_keys(conn: &mut DbConnection) -> Result<usize, AppError> {
    write_tx(conn, |conn| {
        if !crate::db::take_pending(conn, "partner_phones_e164")? {
            return Ok(0);
        }
        let mut diallings = crate::phone::Diallings::default();
        let mut changed = 0;
        for (id, company, value, key) in repo::all_phones(conn)? {
            let dialling = diallings.of(conn, company)?;
            let fresh = normalize_phone(&value, &dialling);
            if fresh != key {
                repo::set_phone_key(conn, &id, &fresh)?;
                changed += 1;
            }
        }
        Ok(changed)
    })
}
