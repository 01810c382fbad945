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
    /// The line amount already contains the tax (gross prices). Only a line's sole tax.
    pub included: bool,
    /// Withheld by the payer: the tax reduces what is paid instead of adding to it.
    pub withholding: bool,
    /// Computed on the line's net plus the line's other (not withheld, not compound) taxes,
    /// as a tax on tax; never included in the price.
    pub compound: bool,
}

/// One line: its amount (quantity × price, in whole minor units; gross when its tax is
/// price-included) and its taxes, each with a key that says which lines share a rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub amount: Decimal,
    pub taxes: Vec<(usize, Rate)>,
}

/// A line's net amount and, for each of its taxes in order, the base it was computed on and
/// the tax (negative for withholding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTax {
    pub net: Decimal,
    pub taxes: Vec<(Decimal, Decimal)>,
}

impl LineTax {
    /// All the line's taxes together.
    pub fn tax(&self) -> Decimal {
        self.taxes.iter().map(|t| t.1).sum()
    }
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

/// One tax of one line waiting to be rounded: (line, position among its taxes, key, exact).
type Pending = (usize, usize, usize, Decimal);

/// Rounds the pending taxes into `out`: each on its own (line rounding), or each key's sum
/// once, shared out to its members by the largest remainder (document rounding).
fn round_into(pending: &[Pending], rounding: Rounding, currency: &str, out: &mut [LineTax]) {
    if rounding == Rounding::Line {
        for &(i, k, _, exact) in pending {
            out[i].taxes[k].1 = round_to_minor_unit(exact, currency);
        }
        return;
    }
    let unit = Decimal::new(1, crate::currency::minor_unit(currency));
    let mut keys: Vec<usize> = pending.iter().map(|p| p.2).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let members: Vec<&Pending> = pending.iter().filter(|p| p.2 == key).collect();
        let negative = members.iter().map(|p| p.3).sum::<Decimal>() < Decimal::ZERO;
        let exact: Vec<Decimal> = members.iter().map(|p| p.3.abs()).collect();
        let total = round_to_minor_unit(exact.iter().sum(), currency);
        // Each member's exact share cut down to whole units; the units still missing go to
        // the members with the largest cut-off remainders (the first on a tie).
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
        for (j, &&(i, k, _, _)) in members.iter().enumerate() {
            out[i].taxes[k].1 = if negative { -shares[j] } else { shares[j] };
        }
    }
}

/// The net and taxes of every line, in line order. Simple taxes first, on the net (taken out
/// of the gross for an included tax); then compound taxes on the net plus the line's simple
/// taxes that are not withheld.
pub fn compute(lines: &[Line], rounding: Rounding, currency: &str) -> Vec<LineTax> {
    let mut out: Vec<LineTax> = lines
        .iter()
        .map(|l| LineTax {
            net: l.amount,
            taxes: vec![(Decimal::ZERO, Decimal::ZERO); l.taxes.len()],
        })
        .collect();
    let pass = |compound: bool, out: &[LineTax]| -> Vec<Pending> {
        let mut pending = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let base = if compound {
                out[i].net
                    + l.taxes
                        .iter()
                        .zip(&out[i].taxes)
                        .filter(|(t, _)| !t.1.compound && !t.1.withholding)
                        .map(|(_, r)| r.1)
                        .sum::<Decimal>()
            } else {
                l.amount
            };
            for (k, &(key, rate)) in l.taxes.iter().enumerate() {
                if rate.compound == compound {
                    pending.push((i, k, key, exact_tax(base, rate)));
                }
            }
        }
        pending
    };
    let simple = pass(false, &out);
    round_into(&simple, rounding, currency, &mut out);
    for (l, o) in lines.iter().zip(out.iter_mut()) {
        // An included tax is the line's only one: the net is what is left of the gross.
        if l.taxes.first().is_some_and(|t| t.1.included) {
            o.net = l.amount - o.taxes[0].1;
        }
        for (k, t) in l.taxes.iter().enumerate() {
            if !t.1.compound {
                o.taxes[k].0 = o.net;
            }
        }
    }
    let compound = pass(true, &out);
    round_into(&compound, rounding, currency, &mut out);
    for (l, o) in lines.iter().zip(out.iter_mut()) {
        let on_simple: Decimal = l
            .taxes
            .iter()
            .zip(&o.taxes)
            .filter(|(t, _)| !t.1.compound && !t.1.withholding)
            .map(|(_, r)| r.1)
            .sum();
        for (k, t) in l.taxes.iter().enumerate() {
            if t.1.compound {
                o.taxes[k].0 = o.net + on_simple;
            }
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
            compound: false,
        }
    }

    fn lines(amounts: &[&str], rate: Rate) -> Vec<Line> {
        amounts
            .iter()
            .map(|a| Line {
                amount: d(a),
                taxes: vec![(0, rate)],
            })
            .collect()
    }

    fn taxes(out: &[LineTax]) -> Vec<Decimal> {
        out.iter().map(LineTax::tax).collect()
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
        assert_eq!((out[0].net, out[0].tax()), (d("100.00"), d("19.00")));
        assert_eq!((out[1].net, out[1].tax()), (d("8.40"), d("1.60")));
    }

    #[test]
    fn withholding_is_negative_and_rates_round_apart() {
        let wht = Rate {
            percent: d("10"),
            included: false,
            withholding: true,
            compound: false,
        };
        let out = compute(
            &[
                Line {
                    amount: d("100.05"),
                    taxes: vec![(0, vat("20", false))],
                },
                Line {
                    amount: d("100.05"),
                    taxes: vec![(1, wht)],
                },
                Line {
                    amount: d("5"),
                    taxes: vec![],
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

    #[test]
    fn a_group_puts_each_tax_on_the_same_base() {
        // 100.05 with VAT 20 % and 10 % withheld: 20.01 and -10.01, both on 100.05.
        let wht = Rate {
            percent: d("10"),
            included: false,
            withholding: true,
            compound: false,
        };
        let out = compute(
            &[Line {
                amount: d("100.05"),
                taxes: vec![(0, vat("20", false)), (1, wht)],
            }],
            Rounding::Line,
            "EUR",
        );
        assert_eq!(out[0].net, d("100.05"));
        assert_eq!(
            out[0].taxes,
            vec![(d("100.05"), d("20.01")), (d("100.05"), d("-10.01"))]
        );
        assert_eq!(out[0].tax(), d("10.00"));
    }

    #[test]
    fn a_compound_tax_is_computed_on_the_net_plus_the_simple_taxes() {
        // Quebec before 2013: GST 5 % on 100.00 is 5.00, QST 7.5 % on 105.00 is 7.875 -> 7.88.
        let qst = Rate {
            percent: d("7.5"),
            included: false,
            withholding: false,
            compound: true,
        };
        let out = compute(
            &[Line {
                amount: d("100.00"),
                taxes: vec![(0, vat("5", false)), (1, qst)],
            }],
            Rounding::Line,
            "CAD",
        );
        assert_eq!(
            out[0].taxes,
            vec![(d("100.00"), d("5.00")), (d("105.00"), d("7.88"))]
        );
    }

    #[test]
    fn document_rounding_of_a_group_rounds_each_member_once() {
        // Two lines of 1.05 with 10 % and 5 %: 0.21 -> 0.21 and 0.105 -> 0.11 for the document.
        let lines: Vec<Line> = (0..2)
            .map(|_| Line {
                amount: d("1.05"),
                taxes: vec![(0, vat("10", false)), (1, vat("5", false))],
            })
            .collect();
        let out = compute(&lines, Rounding::Document, "EUR");
        let first: Decimal = out.iter().map(|o| o.taxes[0].1).sum();
        let second: Decimal = out.iter().map(|o| o.taxes[1].1).sum();
        assert_eq!((first, second), (d("0.21"), d("0.11")));
        assert_eq!(out[0].taxes[1].1 + out[1].taxes[1].1, d("0.11"));
    }
}
