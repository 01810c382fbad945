//! Phone numbers as the company dials them: parsed with the company's country for national
//! numbers (`040 5550199` in Germany), with `00` or `+` for international ones, and stored
//! for matching in E.164 (`+49405550199`), so one caller is one customer however the number
//! was written. The parsing is the phonenumber crate's (libphonenumber's metadata).

use phonenumber::{country, Mode};

use crate::db::DbConnection;
use crate::error::AppError;
use crate::ids::CompanyId;

/// How numbers are read in one company: the country of its national numbers, if it has one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dialling {
    country: Option<country::Id>,
}

impl Dialling {
    /// National numbers in `country` (ISO 3166 alpha-2); without one, only international
    /// numbers (`+` or `00`) are understood.
    pub fn new(country: Option<&str>) -> Dialling {
        Dialling {
            country: country.and_then(|c| c.trim().to_uppercase().parse().ok()),
        }
    }

    /// The dialling of a company, by its country.
    pub fn of_company(
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<Dialling, AppError> {
        let company = crate::org::company::repo::find(conn, company_id)?;
        Ok(Dialling::new(company.and_then(|c| c.country).as_deref()))
    }

    /// The number in E.164, or why it is not a phone number.
    pub fn e164(&self, raw: &str) -> Result<String, String> {
        let raw = raw.trim();
        // `00` is the international prefix almost everywhere; read it as `+` even when the
        // company has no country to dial from.
        let international = raw.strip_prefix("00").map(|rest| format!("+{rest}"));
        let text = international.as_deref().unwrap_or(raw);
        let country = if text.starts_with('+') {
            None
        } else {
            self.country
        };
        if country.is_none() && !text.starts_with('+') {
            return Err(
                "a national number needs the company's country; give it with + and the country code"
                    .into(),
            );
        }
        let number = phonenumber::parse(country, text)
            .map_err(|e| format!("is not a phone number ({e})"))?;
        // At least four digits after the country code: `+49 12` is no one's number.
        if number.national().value() < 1000 {
            return Err("is too short to be a phone number".into());
        }
        Ok(number.format().mode(Mode::E164).to_string())
    }
}

/// The dialling of each company met, looked up once (a data migration over many numbers).
#[derive(Debug, Default)]
pub struct Diallings(std::collections::HashMap<CompanyId, Dialling>);

impl Diallings {
    pub fn of(
        &mut self,
        conn: &mut DbConnection,
        company_id: CompanyId,
    ) -> Result<Dialling, AppError> {
        if let Some(d) = self.0.get(&company_id) {
            return Ok(*d);
        }
        let d = Dialling::of_company(conn, company_id)?;
        self.0.insert(company_id, d);
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_writing_a_number_gives_one_e164() {
        let de = Dialling::new(Some("DE"));
        for raw in [
            "+49 40 555 0199",
            "0049 40 5550199",
            "040 5550199",
            "(040) 555-0199",
            "+49 (0)40 555 01 99",
            "0049-40-555-0199",
        ] {
            assert_eq!(de.e164(raw).as_deref(), Ok("+49405550199"), "{raw}");
        }
        // An American number is the same from anywhere.
        assert_eq!(
            Dialling::new(None).e164("+1 (212) 555-0100").as_deref(),
            Ok("+12125550100")
        );
        assert_eq!(
            Dialling::new(Some("US")).e164("(212) 555-0100").as_deref(),
            Ok("+12125550100")
        );
    }

    #[test]
    fn what_is_not_a_number_says_why() {
        let de = Dialling::new(Some("DE"));
        assert!(de.e164("call me").is_err());
        assert!(de.e164("12").is_err());
        assert!(de.e164("").is_err());
        // Without a country, a national number cannot be read.
        assert!(Dialling::new(None)
            .e164("040 5550199")
            .unwrap_err()
            .contains("country"));
    }
}
