//! Currencies' minor units and the one rounding rule, as named functions: amounts finer than
//! a currency's minor unit are refused at the boundary, never rounded silently.

use erp_core::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};

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
