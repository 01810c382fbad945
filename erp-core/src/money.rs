//! Exact amounts: `Money`, `Qty` and `Price` are `rust_decimal::Decimal` newtypes stored as
//! scaled integers (`BigInt`). Each kind has one scale; input finer than it is refused,
//! never rounded silently.
//!
//! | kind    | scale | stored as            | largest value        |
//! |---------|-------|----------------------|----------------------|
//! | `Money` | 4     | amount × 10⁴ in i64  | ±922 337 203 685 477 |
//! | `Qty`   | 6     | quantity × 10⁶ in i64| ±9 223 372 036 854   |
//! | `Price` | 6     | price × 10⁶ in i64   | ±9 223 372 036 854   |
//! | `Percent` | 4   | percent × 10⁴ in i64 | (a rate: 19 % is 190000) |

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a decimal cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("is not a decimal number")]
    NotANumber,
    #[error("has more than {0} decimal places")]
    TooPrecise(u32),
    #[error("is too large to store")]
    OutOfRange,
}

/// `^[-+]?\d+(\.\d{1,scale})?$`, the pattern the contract declares for decimals.
fn strict_decimal(s: &str, scale: u32) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| {
            !f.is_empty() && f.len() <= scale as usize && f.bytes().all(|b| b.is_ascii_digit())
        })
}

macro_rules! scaled_decimal {
    ($(#[$meta:meta])* $name:ident, scale = $scale:expr, digits = $digits:expr, display_min = $min:expr, example = $example:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(Decimal);

        impl $name {
            /// Decimal places kept in the database.
            pub const SCALE: u32 = $scale;
            pub const ZERO: $name = $name(Decimal::ZERO);

            /// Accepts `value` only if it fits the column exactly.
            pub fn new(value: Decimal) -> Result<Self, AmountError> {
                let normalized = value.normalize();
                if normalized.scale() > Self::SCALE {
                    return Err(AmountError::TooPrecise(Self::SCALE));
                }
                let candidate = $name(normalized);
                candidate.to_scaled()?;
                Ok(candidate)
            }

            pub fn value(self) -> Decimal {
                self.0
            }

            /// The integer stored in the database: value × 10^SCALE.
            pub fn to_scaled(self) -> Result<i64, AmountError> {
                let mut d = self.0;
                d.rescale(Self::SCALE);
                if d.scale() != Self::SCALE {
                    return Err(AmountError::OutOfRange);
                }
                i64::try_from(d.mantissa()).map_err(|_| AmountError::OutOfRange)
            }

            /// The value of an integer read from the database.
            pub fn from_scaled(raw: i64) -> Self {
                $name(Decimal::new(raw, Self::SCALE).normalize())
            }
        }

        impl FromStr for $name {
            type Err = AmountError;
            fn from_str(s: &str) -> Result<Self, AmountError> {
                let s = s.trim();
                // Plain decimal notation only: no exponent, no thousands separators.
                let plain = !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
                if !plain {
                    return Err(AmountError::NotANumber);
                }
                let d = Decimal::from_str_exact(s).map_err(|e| match e {
                    rust_decimal::Error::Underflow => AmountError::TooPrecise(Self::SCALE),
                    rust_decimal::Error::ExceedsMaximumPossibleValue
                    | rust_decimal::Error::LessThanMinimumPossibleValue => AmountError::OutOfRange,
                    _ => AmountError::NotANumber,
                })?;
                Self::new(d)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = self.0.normalize();
                let min_places: u32 = $min;
                if d.scale() < min_places {
                    d.rescale(min_places);
                }
                write!(f, "{d}")
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a decimal string such as \"{}\"", $example)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        // As the contract's pattern says: no spaces, no exponent, at most
                        // SCALE places.
                        if !strict_decimal(v, $name::SCALE) {
                            return Err(E::custom(format!(
                                "\"{v}\" is not a decimal such as \"{}\" (digits, an optional sign and at most {} decimal places)",
                                $example,
                                $name::SCALE
                            )));
                        }
                        v.parse().map_err(|e: AmountError| E::custom(format!("\"{v}\" {e}")))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        $name::new(Decimal::from(v)).map_err(E::custom)
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        $name::new(Decimal::from(v)).map_err(E::custom)
                    }
                    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<$name, E> {
                        Err(E::custom(format!(
                            "decimals are sent as strings to stay exact, e.g. \"{}\"",
                            $example
                        )))
                    }
                }
                d.deserialize_any(Visitor)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::Custom("decimal".into())))
                    // What an i64 scaled by 10^scale holds: 19 - scale digits before the point.
                    .pattern(Some(concat!(
                        r"^[-+]?\d{1,",
                        stringify!($digits),
                        r"}(\.\d{1,",
                        stringify!($scale),
                        r"})?$"
                    )))
                    .description(Some(concat!(
                        "Exact decimal as a string, at most ",
                        stringify!($digits),
                        " digits before the point and ",
                        stringify!($scale),
                        " after it."
                    )))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

scaled_decimal!(
    /// An amount of money in a currency, 4 decimal places.
    Money, scale = 4, digits = 15, display_min = 2, example = "12.50"
);
scaled_decimal!(
    /// A quantity in a unit of measure, 6 decimal places.
    Qty, scale = 6, digits = 13, display_min = 0, example = "2.5"
);
scaled_decimal!(
    /// A unit price, 6 decimal places.
    Price, scale = 6, digits = 13, display_min = 2, example = "0.125"
);
scaled_decimal!(
    /// A percentage (a tax rate, a discount), 4 decimal places: "19" is 19 %.
    Percent, scale = 4, digits = 15, display_min = 0, example = "19"
);
scaled_decimal!(
    /// A unit conversion factor (1 box = 12 each), 9 decimal places.
    Factor, scale = 9, digits = 10, display_min = 0, example = "12"
);

/// Rounds to `places` decimals, half away from zero (commercial rounding). The one rounding
/// rule of the system: line totals, costs of issues, averages.
pub fn round_commercial(d: Decimal, places: u32) -> Decimal {
    d.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

impl Money {
    /// `d` rounded to the cent fraction money keeps (4 places).
    pub fn rounded(d: Decimal) -> Result<Money, AmountError> {
        Money::new(round_commercial(d, Money::SCALE))
    }
}

impl Price {
    /// `d` rounded to the places a unit price keeps (6).
    pub fn rounded(d: Decimal) -> Result<Price, AmountError> {
        Price::new(round_commercial(d, Price::SCALE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_more_places_than_the_column_holds() {
        assert_eq!("1.23456".parse::<Money>(), Err(AmountError::TooPrecise(4)));
        assert_eq!("1.2345".parse::<Money>().unwrap().to_scaled(), Ok(12345));
        // Trailing zeros are not precision.
        assert_eq!(
            "1.23450000".parse::<Money>().unwrap().to_scaled(),
            Ok(12345)
        );
        assert_eq!("0.0000001".parse::<Qty>(), Err(AmountError::TooPrecise(6)));
    }

    #[test]
    fn refuses_what_does_not_fit_in_64_bits() {
        assert_eq!(
            "922337203685478".parse::<Money>(),
            Err(AmountError::OutOfRange)
        );
        assert!("922337203685477".parse::<Money>().is_ok());
        assert_eq!("1e5".parse::<Money>(), Err(AmountError::NotANumber));
        assert_eq!("12,50".parse::<Money>(), Err(AmountError::NotANumber));
    }

    #[test]
    fn round_trips_through_the_scaled_integer() {
        for s in ["0", "-0.0001", "12.5", "922337203685477.5807"] {
            let m: Money = s.parse().unwrap();
            assert_eq!(Money::from_scaled(m.to_scaled().unwrap()), m, "{s}");
        }
        assert_eq!(Money::from_scaled(1250).to_string(), "0.125");
        assert_eq!(Money::from_scaled(125000).to_string(), "12.50");
        assert_eq!(Qty::from_scaled(2_000_000).to_string(), "2");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Money::rounded(d("0.00005")).unwrap().to_string(), "0.0001");
        assert_eq!(
            Money::rounded(d("-0.00005")).unwrap().to_string(),
            "-0.0001"
        );
        assert_eq!(Money::rounded(d("0.00004999")).unwrap().to_string(), "0.00");
    }

    #[test]
    fn json_takes_strings_and_integers_but_not_floats() {
        let m: Money = serde_json::from_str("\"10.10\"").unwrap();
        assert_eq!(m.to_string(), "10.10");
        let q: Qty = serde_json::from_str("3").unwrap();
        assert_eq!(q.to_string(), "3");
        assert!(serde_json::from_str::<Money>("10.1").is_err());
        assert!(serde_json::from_str::<Money>("\" 1 \"").is_err());
        assert!(serde_json::from_str::<Money>("\"1e3\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1.\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1.00000\"").is_err());
        assert!(serde_json::from_str::<Money>("\"-1.2500\"").is_ok());
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"10.10\"");
    }
}
