//! Instalments as pure arithmetic: splitting a total by the shares of payment terms, and what
//! of each instalment is still open when payments settle the earliest first.

use chrono::{Days, NaiveDate};
use erp_core::error::AppError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::round_to_minor_unit;

/// A share of instalment terms as stored: percent ×10⁴ of the total, due `days` after the
/// invoice date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub percent: i64,
    pub days: i32,
}

/// An amount (money ×10⁴) due on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub due_date: NaiveDate,
    pub amount: i64,
}

/// Splits `total` (money ×10⁴ in `currency`) by `shares`: each share rounded to the minor
/// unit, half away from zero, the last taking what is left so the parts add up exactly.
pub fn split(
    total: i64,
    shares: &[Share],
    invoice_date: NaiveDate,
    currency: &str,
) -> Result<Vec<Due>, AppError> {
    let mut out = Vec::with_capacity(shares.len());
    let mut given = 0i64;
    for (i, s) in shares.iter().enumerate() {
        let due_date = invoice_date
            .checked_add_days(Days::new(s.days.max(0) as u64))
            .ok_or_else(|| {
                AppError::field("payment_terms_id", "an instalment falls past the calendar")
            })?;
        let amount = if i + 1 == shares.len() {
            total - given
        } else {
            let part = Decimal::new(total, 4) * Decimal::new(s.percent, 4) / Decimal::ONE_HUNDRED;
            let rounded = round_to_minor_unit(part, currency) * Decimal::from(10_000);
            i64::try_from(rounded)
                .map_err(|_| AppError::field("lines", "the total is too large to split"))?
        };
        given += amount;
        out.push(Due { due_date, amount });
    }
    Ok(out)
}

/// What is open of each instalment of `schedule` once `settled` of the total is settled, the
/// earliest instalment first; instalments settled in full are left out.
pub fn open_parts(schedule: &[Due], settled: i64) -> Vec<Due> {
    let mut left = settled;
    let mut out = Vec::new();
    for d in schedule {
        let taken = left.clamp(0, d.amount);
        left -= taken;
        if d.amount - taken != 0 {
            out.push(Due {
                due_date: d.due_date,
                amount: d.amount - taken,
            });
        }
    }
    out
}

/// `parts` (in a document's currency, adding up to `open`) valued in company currency so
/// that they add up to `open_company` exactly: each in proportion, the last the rest. With
/// nothing open in the document's currency (a revaluation's difference only), all of it is
/// one part due on `due_date`.
pub fn in_company_currency(
    parts: &[Due],
    open: i64,
    open_company: i64,
    due_date: NaiveDate,
) -> Vec<Due> {
    if open == 0 || parts.is_empty() {
        return vec![Due {
            due_date,
            amount: open_company,
        }];
    }
    let mut given = 0i64;
    let mut out = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let amount = if i + 1 == parts.len() {
            open_company - given
        } else {
            (i128::from(open_company) * i128::from(p.amount) / i128::from(open)) as i64
        };
        given += amount;
        out.push(Due {
            due_date: p.due_date,
            amount,
        });
    }
    out
}

/// The schedule stored on a document, or all of `total` due on `due_date`.
pub fn schedule(
    stored: Option<&str>,
    total: i64,
    due_date: NaiveDate,
) -> Result<Vec<Due>, AppError> {
    match stored {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| AppError::Internal(format!("a stored instalment schedule: {e}"))),
        None => Ok(vec![Due {
            due_date,
            amount: total,
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_total_splits_into_rounded_parts_that_add_up() {
        let shares = [
            Share {
                percent: 333_333,
                days: 0,
            },
            Share {
                percent: 333_333,
                days: 30,
            },
            Share {
                percent: 333_334,
                days: 60,
            },
        ];
        // 100.00 in thirds: 33.33, 33.33 and the rest, 33.34.
        let parts = split(1_000_000, &shares, day("2026-01-31"), "EUR").unwrap();
        assert_eq!(
            parts,
            [
                Due {
                    due_date: day("2026-01-31"),
                    amount: 333_300
                },
                Due {
                    due_date: day("2026-03-02"),
                    amount: 333_300
                },
                Due {
                    due_date: day("2026-04-01"),
                    amount: 333_400
                },
            ]
        );
        // No minor unit: 1,000 JPY at 50 % and 50 % stays whole.
        let halves = [
            Share {
                percent: 500_000,
                days: 0,
            },
            Share {
                percent: 500_000,
                days: 10,
            },
        ];
        let yen = split(10_010_000, &halves, day("2026-01-01"), "JPY").unwrap();
        assert_eq!((yen[0].amount, yen[1].amount), (5_010_000, 5_000_000));
    }

    #[test]
    fn settlements_take_the_earliest_instalments_first() {
        let schedule = [
            Due {
                due_date: day("2026-01-01"),
                amount: 300_000,
            },
            Due {
                due_date: day("2026-02-01"),
                amount: 700_000,
            },
        ];
        assert_eq!(open_parts(&schedule, 0), schedule);
        assert_eq!(
            open_parts(&schedule, 400_000),
            [Due {
                due_date: day("2026-02-01"),
                amount: 600_000
            }]
        );
        assert!(open_parts(&schedule, 1_000_000).is_empty());
        // In company currency, in proportion, adding up exactly.
        let parts = in_company_currency(&schedule, 1_000_000, 923_457, day("2026-02-01"));
        assert_eq!((parts[0].amount, parts[1].amount), (277_037, 646_420));
    }
}
