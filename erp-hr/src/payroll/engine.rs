//! The payslip of one employee for one month, a pure function of the pay components (rules as
//! data, in sequence) and what the month holds: the contract spans, the hours worked, the
//! overtime by rule, the unpaid leave days and the working days of the month.
//!
//! Every amount is rounded to the currency's minor unit, half away from zero, as the line is
//! made; the totals are sums of rounded lines, so the payslip, the pay run and the ledger
//! entry agree to the cent.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Earning,
    Deduction,
    Employer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The monthly salary, pro rata for the calendar days of the month under contract.
    Salary,
    /// Hours worked (attendance) times the hourly rate.
    HourlyPay,
    /// Overtime hours by rule times the hourly rate times the rule's rate.
    Overtime,
    /// Unpaid leave days times the salary of a working day (a negative earning).
    UnpaidLeave,
    Fixed,
    /// A percent of the basis, the basis capped.
    Percent,
    /// Progressive brackets over the basis (an income tax table).
    Brackets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Gross,
    GrossLessDeductions,
}

/// From `over` upwards (to the next bracket's `over`) the basis is taxed at `rate` percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    pub over: Decimal,
    pub rate: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundMode {
    /// Halves away from zero.
    Nearest,
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

/// Lines rounded to a multiple of `step`, or to the currency's minor unit when `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    pub step: Option<Decimal>,
    pub mode: RoundMode,
}

impl Rounding {
    pub fn apply(&self, d: Decimal, minor_unit: u32) -> Decimal {
        let strategy = match self.mode {
            RoundMode::Nearest => RoundingStrategy::MidpointAwayFromZero,
            RoundMode::Down => RoundingStrategy::ToZero,
            RoundMode::Up => RoundingStrategy::AwayFromZero,
        };
        match self.step.filter(|s| *s > Decimal::ZERO) {
            Some(step) => (d / step).round_dp_with_strategy(0, strategy) * step,
            None => d.round_dp_with_strategy(minor_unit, strategy),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Component {
    pub code: String,
    pub kind: Kind,
    pub method: Method,
    pub amount: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub cap: Option<Decimal>,
    pub basis: Basis,
    pub brackets: Vec<Bracket>,
    /// The minor unit, to the nearest, when `None`.
    pub rounding: Option<Rounding>,
}

/// A stretch of the month under one contract.
#[derive(Debug, Clone, Copy)]
pub struct PaySpan {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub monthly: bool,
    /// The monthly salary or the hourly rate.
    pub rate: Decimal,
    pub hours_per_week: Decimal,
    /// Hours worked in the stretch (attendance).
    pub hours_worked: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct Month {
    pub spans: Vec<PaySpan>,
    /// (rule code, hours, multiple of the hourly rate).
    pub overtime: Vec<(String, Decimal, Decimal)>,
    pub unpaid_days: Decimal,
    pub working_days: Decimal,
    pub minor_unit: u32,
    /// The components (by index) of the employee's pay structure; all of them when `None`.
    pub applies: Option<HashSet<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index of the component.
    pub component: usize,
    pub kind: Kind,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub base: Option<Decimal>,
    pub amount: Decimal,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub lines: Vec<Line>,
    pub gross: Decimal,
    pub deductions: Decimal,
    pub employer: Decimal,
    pub net: Decimal,
}

fn days_in_month(d: NaiveDate) -> i64 {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (next - first).num_days()
}

/// The hourly rate of a stretch: the contract's, or a salary's over a year of weeks.
pub fn hourly_rate(s: &PaySpan) -> Decimal {
    if !s.monthly {
        return s.rate;
    }
    if s.hours_per_week.is_zero() {
        return Decimal::ZERO;
    }
    s.rate * Decimal::from(12) / Decimal::from(52) / s.hours_per_week
}

/// Progressive tax of `base` over the brackets (sorted by `over`).
pub fn progressive(brackets: &[Bracket], base: Decimal) -> Decimal {
    let mut tax = Decimal::ZERO;
    for (i, b) in brackets.iter().enumerate() {
        if base <= b.over {
            break;
        }
        let top = brackets.get(i + 1).map_or(base, |n| base.min(n.over));
        tax += (top - b.over) * b.rate / Decimal::ONE_HUNDRED;
    }
    tax
}

pub fn compute(components: &[Component], m: &Month) -> Slip {
    let minor =
        |d: Decimal| d.round_dp_with_strategy(m.minor_unit, RoundingStrategy::MidpointAwayFromZero);
    let mut lines = Vec::new();
    let (mut gross, mut deductions, mut employer) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut push =
        |line: Line, gross: &mut Decimal, deductions: &mut Decimal, employer: &mut Decimal| {
            match line.kind {
                Kind::Earning => *gross += line.amount,
                Kind::Deduction => *deductions += line.amount,
                Kind::Employer => *employer += line.amount,
            }
            lines.push(line);
        };
    for (i, c) in components.iter().enumerate() {
        if m.applies.as_ref().is_some_and(|a| !a.contains(&i)) {
            continue;
        }
        // The component's own rounding, or the currency's minor unit; a step is a multiple
        // of the minor unit, so either way a line is whole minor units.
        let round = |d: Decimal| {
            c.rounding
                .map_or_else(|| minor(d), |r| minor(r.apply(d, m.minor_unit)))
        };
        let line = |quantity, rate, base, amount, note: String| Line {
            component: i,
            kind: c.kind,
            quantity,
            rate,
            base,
            amount,
            note,
        };
        let basis = || {
            let b = match c.basis {
                Basis::Gross => gross,
                Basis::GrossLessDeductions => gross - deductions,
            };
            c.cap.map_or(b, |cap| b.min(cap)).max(Decimal::ZERO)
        };
        match c.method {
            Method::Salary => {
                for s in m.spans.iter().filter(|s| s.monthly) {
                    let days = Decimal::from((s.to - s.from).num_days() + 1);
                    let of = Decimal::from(days_in_month(s.from));
                    let amount = round(s.rate * days / of);
                    let note =
                        format!("{} × {}/{} days ({} to {})", s.rate, days, of, s.from, s.to);
                    push(
                        line(Some(days), Some(s.rate), None, amount, note),
                        &mut gross,
                        &mut deductions,
                        &mut employer,
                    );
                }
            }
            Method::HourlyPay => {
                for s in m
                    .spans
                    .iter()
                    .filter(|s| !s.monthly && s.hours_worked > Decimal::ZERO)
                {
                    let amount = round(s.hours_worked * s.rate);
                    let note = format!(
                        "{} hours × {} ({} to {})",
                        s.hours_worked, s.rate, s.from, s.to
                    );
                    push(
                        line(Some(s.hours_worked), Some(s.rate), None, amount, note),
                        &mut gross,
                        &mut deductions,
                        &mut employer,
                    );
                }
            }
            Method::Overtime => {
                let Some(last) = m.spans.last() else { continue };
                let hourly = hourly_rate(last);
                for (code, hours, multiple) in m.overtime.iter().filter(|o| o.1 > Decimal::ZERO) {
                    let rate = hourly * multiple;
                    let amount = round(*hours * rate);
                    let note = format!(
                        "{hours} hours of {code} × {} × {multiple}",
                        hourly.round_dp(4)
                    );
                    push(
                        line(Some(*hours), Some(rate.round_dp(6)), None, amount, note),
                        &mut gross,
                        &mut deductions,
                        &mut employer,
                    );
                }
            }
            Method::UnpaidLeave => {
                let Some(last) = m.spans.iter().rev().find(|s| s.monthly) else {
                    continue;
                };
                if m.unpaid_days.is_zero() || m.working_days.is_zero() {
                    continue;
                }
                let daily = last.rate / m.working_days;
                let amount = -round(daily * m.unpaid_days);
                let note = format!(
                    "{} unpaid days × {} / {} working days",
                    m.unpaid_days, last.rate, m.working_days
                );
                push(
                    line(
                        Some(m.unpaid_days),
                        Some(daily.round_dp(6)),
                        None,
                        amount,
                        note,
                    ),
                    &mut gross,
                    &mut deductions,
                    &mut employer,
                );
            }
            Method::Fixed => {
                let amount = round(c.amount.unwrap_or_default());
                push(
                    line(None, None, None, amount, "fixed".into()),
                    &mut gross,
                    &mut deductions,
                    &mut employer,
                );
            }
            Method::Percent => {
                let base = basis();
                let rate = c.rate.unwrap_or_default();
                let amount = round(base * rate / Decimal::ONE_HUNDRED);
                let note = format!("{rate} % of {base}");
                push(
                    line(None, Some(rate), Some(base), amount, note),
                    &mut gross,
                    &mut deductions,
                    &mut employer,
                );
            }
            Method::Brackets => {
                let base = basis();
                let amount = round(progressive(&c.brackets, base));
                let note = format!("brackets over {base}");
                push(
                    line(None, None, Some(base), amount, note),
                    &mut gross,
                    &mut deductions,
                    &mut employer,
                );
            }
        }
    }
    Slip {
        lines,
        gross,
        deductions,
        employer,
        net: gross - deductions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn component(code: &str, kind: Kind, method: Method) -> Component {
        Component {
            code: code.into(),
            kind,
            method,
            amount: None,
            rate: None,
            cap: None,
            basis: Basis::Gross,
            brackets: Vec::new(),
            rounding: None,
        }
    }

    /// The structure of the worked example: salary, overtime, unpaid leave; social security
    /// 9.3 % of gross capped at 5,000; income tax 0/20/30 % over 1,000 and 2,000 of what is
    /// left after social security; employer 20 % of gross.
    fn structure() -> Vec<Component> {
        let mut ss = component("SS", Kind::Deduction, Method::Percent);
        ss.rate = Some(dec("9.3"));
        ss.cap = Some(dec("5000"));
        let mut tax = component("TAX", Kind::Deduction, Method::Brackets);
        tax.basis = Basis::GrossLessDeductions;
        tax.brackets = vec![
            Bracket {
                over: dec("0"),
                rate: dec("0"),
            },
            Bracket {
                over: dec("1000"),
                rate: dec("20"),
            },
            Bracket {
                over: dec("2000"),
                rate: dec("30"),
            },
        ];
        let mut er = component("ER", Kind::Employer, Method::Percent);
        er.rate = Some(dec("20"));
        vec![
            component("SALARY", Kind::Earning, Method::Salary),
            component("OT", Kind::Earning, Method::Overtime),
            component("UNPAID", Kind::Earning, Method::UnpaidLeave),
            ss,
            tax,
            er,
        ]
    }

    #[test]
    fn a_month_with_overtime_unpaid_leave_tax_and_contributions() {
        let m = Month {
            spans: vec![PaySpan {
                from: d("2026-11-01"),
                to: d("2026-11-30"),
                monthly: true,
                rate: dec("3000"),
                hours_per_week: dec("40"),
                hours_worked: dec("0"),
            }],
            overtime: vec![("OT125".into(), dec("10"), dec("1.25"))],
            unpaid_days: dec("2"),
            working_days: dec("21"),
            minor_unit: 2,
            applies: None,
        };
        let slip = compute(&structure(), &m);
        let amounts: Vec<Decimal> = slip.lines.iter().map(|l| l.amount).collect();
        // 3000 × 12 / 52 / 40 = 17.307692..; × 10 × 1.25 = 216.35. 3000 / 21 × 2 = 285.71.
        // Gross 2930.64; 9.3 % = 272.55; tax on 2658.09 = 200 + 197.427 = 397.43.
        assert_eq!(
            amounts,
            [
                dec("3000"),
                dec("216.35"),
                dec("-285.71"),
                dec("272.55"),
                dec("397.43"),
                dec("586.13")
            ]
        );
        assert_eq!(
            (slip.gross, slip.deductions, slip.net, slip.employer),
            (dec("2930.64"), dec("669.98"), dec("2260.66"), dec("586.13"))
        );
    }

    #[test]
    fn a_mid_month_start_is_paid_for_its_days_and_a_raise_from_its_day() {
        let span = |from: &str, to: &str, rate: &str| PaySpan {
            from: d(from),
            to: d(to),
            monthly: true,
            rate: dec(rate),
            hours_per_week: dec("40"),
            hours_worked: dec("0"),
        };
        let m = Month {
            spans: vec![
                span("2026-11-16", "2026-11-20", "3000"),
                span("2026-11-21", "2026-11-30", "3300"),
            ],
            minor_unit: 2,
            ..Default::default()
        };
        let slip = compute(&structure()[..1], &m);
        // 3000 × 5/30 = 500; 3300 × 10/30 = 1100.
        assert_eq!(slip.gross, dec("1600"));
        assert_eq!(slip.lines.len(), 2);
        // A structure of the salary and the employer's share alone: no tax, no deductions.
        let only = Month {
            applies: Some([0, 5].into()),
            ..m
        };
        let slip = compute(&structure(), &only);
        let lines: Vec<usize> = slip.lines.iter().map(|l| l.component).collect();
        assert_eq!(lines, [0, 0, 5]);
        assert_eq!(
            (slip.gross, slip.deductions, slip.employer),
            (dec("1600"), dec("0"), dec("320"))
        );
    }

    #[test]
    fn brackets_tax_each_slice_at_its_rate() {
        let b = [
            Bracket {
                over: dec("0"),
                rate: dec("0"),
            },
            Bracket {
                over: dec("1000"),
                rate: dec("20"),
            },
        ];
        assert_eq!(progressive(&b, dec("900")), dec("0"));
        assert_eq!(progressive(&b, dec("1500")), dec("100"));
    }

    #[test]
    fn rounding_is_data_per_component() {
        let r = |step: &str, mode| Rounding {
            step: Some(dec(step)),
            mode,
        };
        assert_eq!(r("1", RoundMode::Down).apply(dec("416.30"), 2), dec("416"));
        assert_eq!(r("1", RoundMode::Up).apply(dec("416.30"), 2), dec("417"));
        assert_eq!(
            r("1", RoundMode::Nearest).apply(dec("416.50"), 2),
            dec("417")
        );
        assert_eq!(
            r("0.05", RoundMode::Nearest).apply(dec("12.324"), 2),
            dec("12.30")
        );
        assert_eq!(
            r("0.05", RoundMode::Nearest).apply(dec("12.325"), 2),
            dec("12.35")
        );
        // Negative amounts round toward and away from zero alike.
        assert_eq!(
            r("1", RoundMode::Down).apply(dec("-285.71"), 2),
            dec("-285")
        );
        // Without a step, the minor unit: yen have none.
        let down = Rounding {
            step: None,
            mode: RoundMode::Down,
        };
        assert_eq!(down.apply(dec("416.99"), 0), dec("416"));
        assert_eq!(down.apply(dec("416.999"), 2), dec("416.99"));
        let mut tax = component("TAX", Kind::Deduction, Method::Brackets);
        tax.brackets = vec![
            Bracket {
                over: dec("0"),
                rate: dec("0"),
            },
            Bracket {
                over: dec("1000"),
                rate: dec("20"),
            },
            Bracket {
                over: dec("2000"),
                rate: dec("30"),
            },
        ];
        tax.rounding = Some(r("1", RoundMode::Down));
        let m = Month {
            spans: vec![PaySpan {
                from: d("2026-11-01"),
                to: d("2026-11-30"),
                monthly: true,
                rate: dec("2721"),
                hours_per_week: dec("40"),
                hours_worked: dec("0"),
            }],
            minor_unit: 2,
            ..Default::default()
        };
        let slip = compute(
            &[component("SALARY", Kind::Earning, Method::Salary), tax],
            &m,
        );
        // 20 % of 1000 + 30 % of 721 = 416.30, down to whole units.
        assert_eq!(slip.deductions, dec("416"));
    }
}
