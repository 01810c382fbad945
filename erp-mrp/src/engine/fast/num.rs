//! Quantities in millionths, and arithmetic that gives up instead of overflowing.

use rust_decimal::Decimal;

pub(super) use super::ONE;

/// A number that does not fit the scaled integers.
pub(super) struct Misfit;
pub(super) type Fit<T> = Result<T, Misfit>;

/// `d` in millionths.
pub(super) fn micro(d: Decimal) -> Fit<i64> {
    let (mut m, mut s) = (d.mantissa(), d.scale());
    while s > 6 {
        if m % 10 != 0 {
            return Err(Misfit);
        }
        m /= 10;
        s -= 1;
    }
    let m = m.checked_mul(10i128.pow(6 - s)).ok_or(Misfit)?;
    i64::try_from(m).map_err(|_| Misfit)
}

pub(super) fn add(a: i64, b: i64) -> Fit<i64> {
    a.checked_add(b).ok_or(Misfit)
}

pub(super) fn sub(a: i64, b: i64) -> Fit<i64> {
    a.checked_sub(b).ok_or(Misfit)
}

pub(super) fn add2(a: i128, b: i128) -> Fit<i128> {
    a.checked_add(b).ok_or(Misfit)
}

pub(super) fn mul2(a: i128, b: i128) -> Fit<i128> {
    a.checked_mul(b).ok_or(Misfit)
}

/// The least multiple of `lot` (> 0) not below `q`.
pub(super) fn round_up(q: i64, lot: i64) -> Fit<i64> {
    let (q, lot) = (i128::from(q), i128::from(lot));
    let n = q.div_euclid(lot) + i128::from(q.rem_euclid(lot) != 0);
    i64::try_from(mul2(n, lot)?).map_err(|_| Misfit)
}
