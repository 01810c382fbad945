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
