//! Tax arithmetic, with no database: the tax of each document line and the document's net,
//! tax and total, rounded to the currency's minor unit either per line or once per tax and
//! document. With document rounding the rounded tax of each rate is shared out to its lines
//! by the largest remainder, so the lines always add up to the document exactly and no
//! residue is left for a plug account.

use rust_decimal::prelude::*;

use crate::currency::round_to_minor_unit;

/// Where tax is rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Each line's tax is rounded, and the document's tax is their sum.
    Line,
    /// Each rate's tax is rounded once over the sum of its lines.
    Document,
}

/// A tax rate as the arithmetic needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Percent: 19 is 19 %.
    pub percent: Decimal,
    /// The line amount already contains the tax (gross prices).
    pub included: bool,
    /// Withheld by the payer: the tax reduces what is paid instead of adding to it.
    pub withholding: bool,
}

/// One line: its amount (quantity × price, in whole minor units; gross when the rate is
/// price-included) and its tax, if any, with a key that says which lines share a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub amount: Decimal,
    pub tax: Option<(usize, Rate)>,
}

/// A line's net amount and its tax (negative for withholding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTax {
    pub net: Decimal,
    pub tax: Decimal,
}

/// The part of an amount that is tax, unrounded: `amount × p/100`, or `amount × p/(100+p)`
/// when the amount includes the tax.
fn exact_tax(amount: Decimal, rate: Rate) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    let base = if rate.included {
        amount * rate.percent / (hundred + rate.percent)
    } else {
        amount * rate.percent / hundred
    };
    if rate.withholding {
        -base
    } else {
        base
    }
}

fn net_of(amount: Decimal, tax: Decimal, rate: Rate) -> Decimal {
    if rate.included {
        amount - tax
    } else {
        amount
    }
}

/// The net and tax of every line, in line order.
pub fn compute(lines: &[Line], rounding: Rounding, currency: &str) -> Vec<LineTax> {
    let mut out: Vec<LineTax> = lines
        .iter()
        .map(|l| match l.tax {
            None => LineTax {
                net: l.amount,
                tax: Decimal::ZERO,
            },
            Some((_, rate)) => {
                let tax = round_to_minor_unit(exact_tax(l.amount, rate), currency);
                LineTax {
                    net: net_of(l.amount, tax, rate),
                    tax,
                }
            }
        })
        .collect();
    if rounding == Rounding::Line {
        return out;
    }
    let unit = Decimal::new(1, crate::currency::minor_unit(currency));
    let mut keys: Vec<usize> = lines.iter().filter_map(|l| l.tax.map(|t| t.0)).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let members: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].tax.is_some_and(|t| t.0 == key))
            .collect();
        let rate = lines[members[0]].tax.map(|t| t.1).unwrap_or(Rate {
            percent: Decimal::ZERO,
            included: false,
            withholding: false,
        });
        let sum: Decimal = members.iter().map(|&i| lines[i].amount).sum();
        let total = round_to_minor_unit(exact_tax(sum, rate), currency).abs();
        // Each line's exact share cut down to whole units; the units still missing go to
        // the lines with the largest cut-off remainders (the first line on a tie).
        let exact: Vec<Decimal> = members
            .iter()
            .map(|&i| exact_tax(lines[i].amount, rate).abs())
            .collect();
        let mut shares: Vec<Decimal> = exact.iter().map(|e| (e / unit).floor() * unit).collect();
        let mut missing = ((total - shares.iter().sum::<Decimal>()) / unit)
            .round()
            .to_i64()
            .unwrap_or(0);
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by(|&a, &b| (exact[b] - shares[b]).cmp(&(exact[a] - shares[a])));
        for &j in order.iter().cycle().take(members.len() * 2) {
            if missing <= 0 {
                break;
            }
            shares[j] += unit;
            missing -= 1;
        }
        for (j, &i) in members.iter().enumerate() {
            let tax = if rate.withholding {
                -shares[j]
            } else {
                shares[j]
            };
            out[i] = LineTax {
                net: net_of(lines[i].amount, tax, rate),
                tax,
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn vat(p: &str, included: bool) -> Rate {
        Rate {
            percent: d(p),
            included,
            withholding: false,
        }
    }

    fn lines(amounts: &[&str], rate: Rate) -> Vec<Line> {
        amounts
            .iter()
            .map(|a| Line {
                amount: d(a),
                tax: Some((0, rate)),
            })
            .collect()
    }

    fn taxes(out: &[LineTax]) -> Vec<Decimal> {
        out.iter().map(|l| l.tax).collect()
    }

    #[test]
    fn per_line_rounding_rounds_each_line_half_away_from_zero() {
        // Three lines of 1.05 at 10 %: 0.105 each rounds to 0.11, 0.33 in all.
        let out = compute(
            &lines(&["1.05"; 3], vat("10", false)),
            Rounding::Line,
            "EUR",
        );
        assert_eq!(taxes(&out), vec![d("0.11"); 3]);
        assert_eq!(out[0].net, d("1.05"));
    }

    #[test]
    fn per_document_rounding_rounds_once_and_shares_the_cents_out() {
        // 3.15 at 10 % is 0.315, rounded once to 0.32; the lines carry 0.11, 0.11, 0.10.
        let out = compute(
            &lines(&["1.05"; 3], vat("10", false)),
            Rounding::Document,
            "EUR",
        );
        assert_eq!(taxes(&out), vec![d("0.11"), d("0.11"), d("0.10")]);
        assert_eq!(taxes(&out).iter().sum::<Decimal>(), d("0.32"));
    }

    #[test]
    fn the_largest_remainder_gets_the_cent() {
        // 0.333.., 0.666.. and 0.0 of tax: the two cents in all go to the larger remainders.
        let out = compute(
            &lines(&["3.33", "6.67", "0.00"], vat("10", false)),
            Rounding::Document,
            "EUR",
        );
        assert_eq!(taxes(&out), vec![d("0.33"), d("0.67"), d("0.00")]);
    }

    #[test]
    fn included_tax_is_taken_out_of_the_gross() {
        // 119.00 gross at 19 % is 100.00 net and 19.00 tax; 10.00 gross is 8.40 + 1.60.
        let out = compute(
            &lines(&["119.00", "10.00"], vat("19", true)),
            Rounding::Line,
            "EUR",
        );
        assert_eq!((out[0].net, out[0].tax), (d("100.00"), d("19.00")));
        assert_eq!((out[1].net, out[1].tax), (d("8.40"), d("1.60")));
    }

    #[test]
    fn withholding_is_negative_and_rates_round_apart() {
        let wht = Rate {
            percent: d("10"),
            included: false,
            withholding: true,
        };
        let out = compute(
            &[
                Line {
                    amount: d("100.05"),
                    tax: Some((0, vat("20", false))),
                },
                Line {
                    amount: d("100.05"),
                    tax: Some((1, wht)),
                },
                Line {
                    amount: d("5"),
                    tax: None,
                },
            ],
            Rounding::Document,
            "EUR",
        );
        assert_eq!(taxes(&out), vec![d("20.01"), d("-10.01"), d("0")]);
    }

    #[test]
    fn yen_rounds_to_whole_units() {
        let out = compute(
            &lines(&["105", "105"], vat("10", false)),
            Rounding::Document,
            "JPY",
        );
        // 21 yen in all: 10.5 each, one line gets the odd yen.
        assert_eq!(taxes(&out), vec![d("11"), d("10")]);
    }
}
