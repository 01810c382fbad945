//! Small conversions shared by the module's services.

use chrono::NaiveDate;
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;

/// The stored integer of a quantity, or a field error.
pub fn scaled(q: Qty, field: &str) -> Result<i64, AppError> {
    q.to_scaled()
        .map_err(|e| AppError::field(field, e.to_string()))
}

/// Checks a quantity that must be zero or more.
pub fn check_non_negative(v: &mut Validator, field: &str, q: Option<Qty>) {
    if q.is_some_and(|q| q < Qty::ZERO) {
        v.add(field, "must not be negative");
    }
}

/// Checks a quantity that must be more than zero.
pub fn check_positive(v: &mut Validator, field: &str, q: Option<Qty>) {
    if q.is_some_and(|q| q <= Qty::ZERO) {
        v.add(field, "must be greater than zero");
    }
}

/// Checks that a date range is not reversed.
pub fn check_range(v: &mut Validator, field: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) {
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            v.add(field, "must not be before the start of the range");
        }
    }
}

/// `d` moved by `days` (either way), stopping at the ends of the calendar instead of
/// overflowing.
pub fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    let n = chrono::Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        d.checked_add_days(n)
    } else {
        d.checked_sub_days(n)
    };
    moved.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// Checks that a horizon start is a plausible planning date (years 1900 to 9000).
pub fn check_start_date(field: &str, d: NaiveDate) -> Result<(), AppError> {
    use chrono::Datelike;
    if (1900..=9000).contains(&d.year()) {
        Ok(())
    } else {
        Err(AppError::field(
            field,
            "must be a date in the years 1900 to 9000",
        ))
    }
}
