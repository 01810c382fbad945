//! Currencies' minor units and the one rounding rule, as named functions: amounts finer than
//! a currency's minor unit are refused at the boundary, never rounded silently.

use erp_core::error::AppError;
use erp_core::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};

/// Exchange rates are kept ×10⁹: company currency per unit of the other.
pub const RATE_SCALE: u32 = 9;
/// The rate of the company's own currency, ×10⁹.
pub const UNIT_RATE: i64 = 1_000_000_000;

/// A rate kept ×10⁹, as a decimal.
pub fn rate_value(scaled: i64) -> Decimal {
    Decimal::new(scaled, RATE_SCALE).normalize()
}

/// `amount` (money ×10⁴ in a document's currency) in company currency at `rate` (×10⁹),
/// rounded to the company currency's minor unit, half away from zero. At the unit rate it is
/// `amount` itself.
pub fn to_company(amount: i64, rate: i64, company_currency: &str) -> Result<i64, AppError> {
    if rate == UNIT_RATE {
        return Ok(amount);
    }
    let too_large = || AppError::field("amount", "is too large to convert to company currency");
    let value = Decimal::new(amount, 4)
        .checked_mul(Decimal::new(rate, RATE_SCALE))
        .ok_or_else(too_large)?;
    round_to_minor_unit(value, company_currency)
        .checked_mul(Decimal::from(10_000))
        .and_then(|d| i64::try_from(d).ok())
        .ok_or_else(too_large)
}

/// Decimal places of a currency's minor unit (ISO 4217): 2 unless listed.
pub fn minor_unit(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Is `amount` expressible in whole minor units of `currency`?
pub fn fits_minor_unit(amount: Money, currency: &str) -> bool {
    amount.value().normalize().scale() <= minor_unit(currency)
}

/// Rounds to the currency's minor unit, half away from zero: the rounding of line totals,
/// tax and conversion when those land.
pub fn round_to_minor_unit(amount: Decimal, currency: &str) -> Decimal {
    amount.round_dp_with_strategy(minor_unit(currency), RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_rounds_once_to_the_company_minor_unit() {
        // 100.00 USD at 0.923456789 EUR = 92.3456789 -> 92.35 EUR.
        assert_eq!(to_company(1_000_000, 923_456_789, "EUR").unwrap(), 923_500);
        // Half away from zero, both signs: 0.05 at 0.5 = 0.025 -> 0.03.
        assert_eq!(to_company(500, 500_000_000, "EUR").unwrap(), 300);
        assert_eq!(to_company(-500, 500_000_000, "EUR").unwrap(), -300);
        // 1,000 USD at 151.25 JPY = 151,250 JPY, no minor unit.
        assert_eq!(
            to_company(10_000_000, 151_250_000_000, "JPY").unwrap(),
            1_512_500_000
        );
        assert_eq!(to_company(12_345, UNIT_RATE, "EUR").unwrap(), 12_345);
        assert!(to_company(i64::MAX, 9_000_000_000_000, "EUR").is_err());
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        let m = |s: &str| s.parse::<Money>().unwrap();
        assert!(fits_minor_unit(m("10.25"), "EUR"));
        assert!(!fits_minor_unit(m("10.255"), "EUR"));
        assert!(fits_minor_unit(m("10.255"), "KWD"));
        assert!(!fits_minor_unit(m("10.5"), "JPY"));
        assert_eq!(
            round_to_minor_unit("2.345".parse().unwrap(), "EUR"),
            "2.35".parse::<Decimal>().unwrap()
        );
        assert_eq!(
            round_to_minor_unit("-2.345".parse().unwrap(), "EUR"),
            "-2.35".parse::<Decimal>().unwrap()
        );
    }
}
