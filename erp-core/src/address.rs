use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::Validator;

/// A postal address; every line optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. DE.
    pub country: Option<String>,
}

impl Address {
    pub fn validate(&self, v: &mut Validator, prefix: &str) {
        for (name, value, max) in [
            ("line1", &self.line1, 200),
            ("line2", &self.line2, 200),
            ("city", &self.city, 100),
            ("region", &self.region, 100),
            ("postal_code", &self.postal_code, 20),
        ] {
            v.opt_text(&format!("{prefix}.{name}"), value.as_deref(), max);
        }
        if let Some(c) = &self.country {
            v.check(
                c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()),
                &format!("{prefix}.country"),
                "must be an ISO 3166-1 alpha-2 code such as DE",
            );
        }
    }
}

/// Reads and writes the six address columns a row struct keeps inline
/// (`address_line1` ... `country`) as one [`Address`].
macro_rules! address_columns {
    ($row:ty) => {
        impl $row {
            pub fn address(&self) -> $crate::address::Address {
                $crate::address::Address {
                    line1: self.address_line1.clone(),
                    line2: self.address_line2.clone(),
                    city: self.city.clone(),
                    region: self.region.clone(),
                    postal_code: self.postal_code.clone(),
                    country: self.country.clone(),
                }
            }

            pub fn set_address(&mut self, a: $crate::address::Address) {
                self.address_line1 = a.line1;
                self.address_line2 = a.line2;
                self.city = a.city;
                self.region = a.region;
                self.postal_code = a.postal_code;
                self.country = a.country;
            }
        }
    };
}
pub(crate) use address_columns;
