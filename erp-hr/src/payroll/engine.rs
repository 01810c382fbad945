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
    let mut slip = Slip {
        lines: Vec::new(),
        gross: Decimal::ZERO,
        deductions: Decimal::ZERO,
        employer: Decimal::ZERO,
        net: Decimal::ZERO,
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
        let basis = slip.basis(c);
        for line in method_lines(i, c, m, basis, round) {
            slip.add(line);
        }
    }
    slip.net = slip.gross - slip.deductions;
    slip
}

/// The lines component `i`'s method makes of the month; `basis` is what a percentage or
/// the brackets apply to.
fn method_lines(
    i: usize,
    c: &Component,
    m: &Month,
    basis: Decimal,
    round: impl Fn(Decimal) -> Decimal,
) -> Vec<Line> {
    let line = |quantity, rate, base, amount, note: String| Line {
        component: i,
        kind: c.kind,
        quantity,
        rate,
        base,
        amount,
        note,
    };
    match c.method {
        Method::Salary => m
            .spans
            .iter()
            .filter(|s| s.monthly)
            .map(|s| {
                let days = Decimal::from((s.to - s.from).num_days() + 1);
                let of = Decimal::from(days_in_month(s.from));
                let amount = round(s.rate * days / of);
                let note = format!("{} × {}/{} days ({} to {})", s.rate, days, of, s.from, s.to);
                line(Some(days), Some(s.rate), None, amount, note)
            })
            .collect(),
        Method::HourlyPay => m
            .spans
            .iter()
            .filter(|s| !s.monthly && s.hours_worked > Decimal::ZERO)
            .map(|s| {
                let amount = round(s.hours_worked * s.rate);
                let note = format!(
                    "{} hours × {} ({} to {})",
                    s.hours_worked, s.rate, s.from, s.to
                );
                line(Some(s.hours_worked), Some(s.rate), None, amount, note)
            })
            .collect(),
        Method::Overtime => {
            let Some(last) = m.spans.last() else {
                return Vec::new();
            };
            let hourly = hourly_rate(last);
            m.overtime
                .iter()
                .filter(|o| o.1 > Decimal::ZERO)
                .map(|(code, hours, multiple)| {
                    let rate = hourly * multiple;
                    let amount = round(*hours * rate);
                    let note = format!(
                        "{hours} hours of {code} × {} × {multiple}",
                        hourly.round_dp(4)
                    );
                    line(Some(*hours), Some(rate.round_dp(6)), None, amount, note)
                })
                .collect()
        }
        Method::UnpaidLeave => {
            let Some(last) = m.spans.iter().rev().find(|s| s.monthly) else {
                return Vec::new();
            };
            if m.unpaid_days.is_zero() || m.working_days.is_zero() {
                return Vec::new();
            }
            let daily = last.rate / m.working_days;
            let amount = -round(daily * m.unpaid_days);
            let note = format!(
                "{} unpaid days × {} / {} working days",
                m.unpaid_days, last.rate, m.working_days
            );
            vec![line(
                Some(m.unpaid_days),
                Some(daily.round_dp(6)),
                None,
                amount,
                note,
            )]
        }
        Method::Fixed => {
            let amount = round(c.amount.unwrap_or_default());
            vec![line(None, None, None, amount, "fixed".into())]
        }
        Method::Percent => {
            let rate = c.rate.unwrap_or_default();
            let amount = round(basis * rate / Decimal::ONE_HUNDRED);
            let note = format!("{rate} % of {basis}");
            vec![line(None, Some(rate), Some(basis), amount, note)]
        }
        Method::Brackets => {
            let amount = round(progressive(&c.brackets, basis));
            let note = format!("brackets over {basis}");
            vec![line(None, None, Some(basis), amount, note)]
        }
    }
}

impl Slip {
    /// What a percentage or brackets component applies to, given the lines so far: gross
    /// (or gross less deductions), capped, never below zero.
    fn basis(&self, c: &Component) -> Decimal {
        let b = match c.basis {
            Basis::Gross => self.gross,
            Basis::GrossLessDeductions => self.gross - self.deductions,
        };
        c.cap.map_or(b, |cap| b.min(cap)).max(Decimal::ZERO)
    }

    fn add(&mut self, line: Line) {
        match line.kind {
            Kind::Earning => self.gross += line.amount,
            Kind::Deduction => self.deductions += line.amount,
            Kind::Employer => self.employer += line.amount,
        }
        self.lines.push(line);
    }
}

#[cfg(test)]
mod tests;
