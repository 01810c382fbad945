//! The leave balance, a pure function of the rule, the employment (spans of contracts with
//! their full-time share) and the requests.
//!
//! Leave is earned day by day: a month of a full year's `days_per_year` / 12, shared out over
//! the month's days and scaled by the contract's share of a full-time week on each day, so a
//! mid-month start and a part-time contract earn in proportion; the year's running total is
//! rounded to the hundredth of a day (so 26 days a year are 26 by December). The current month counts whole (what the contract will
//! earn by its end). What is left at a year's end carries into the next, at most
//! `carry_over_cap` days (a negative balance carries whole); carried days not taken by the end
//! of `expires_month` of the next year lapse. Leave is taken from carried days first.
//! Adjustments (days HR adds or takes off, an opening balance) count in the year of their
//! date, once the date has come, and carry over with the rest.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub days_per_year: Decimal,
    pub carry_over_cap: Decimal,
    pub expires_month: Option<u32>,
}

/// A stretch of employment under one contract, with its share of a full-time week (0 to 1).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub share: Decimal,
}

/// A request of the type: the year it falls in is its first day's.
#[derive(Debug, Clone, Copy)]
pub struct Booking {
    pub starts_on: NaiveDate,
    pub days: Decimal,
    /// Approved (taken or booked) rather than waiting for a decision.
    pub approved: bool,
}

/// Days added to (more than zero) or taken off the balance on a day.
#[derive(Debug, Clone, Copy)]
pub struct Adjustment {
    pub on: NaiveDate,
    pub days: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub year: i32,
    /// Carried in from the year before.
    pub carried: Decimal,
    /// Of the carried days, lapsed by the date.
    pub expired: Decimal,
    /// Earned this year through the end of the date's month.
    pub accrued: Decimal,
    /// Adjusted this year by the date.
    pub adjusted: Decimal,
    /// Approved and begun on or before the date.
    pub taken: Decimal,
    /// Approved and beginning after the date.
    pub booked: Decimal,
    /// Waiting for a decision.
    pub requested: Decimal,
    pub available: Decimal,
}

fn share_on(spans: &[Span], day: NaiveDate) -> Decimal {
    spans
        .iter()
        .find(|s| s.from <= day && s.to.is_none_or(|t| day <= t))
        .map_or(Decimal::ZERO, |s| s.share)
}

fn month_days(year: i32, month: u32) -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    first
        .into_iter()
        .flat_map(|f| f.iter_days())
        .take_while(move |d| d.month() == month)
}

/// Leave earned in one month, unrounded.
fn earned_in_month(rule: &Rule, spans: &[Span], year: i32, month: u32) -> Decimal {
    let (mut shares, mut days) = (Decimal::ZERO, 0u32);
    for day in month_days(year, month) {
        shares += share_on(spans, day);
        days += 1;
    }
    if days == 0 {
        return Decimal::ZERO;
    }
    rule.days_per_year * shares / Decimal::from(12 * days)
}

/// Leave earned in one month, to the hundredth of a day: what the year has earned by its end
/// less what it had earned by the month before, each rounded, so the months add up to the
/// rounded total.
pub fn accrued_in_month(rule: &Rule, spans: &[Span], year: i32, month: u32) -> Decimal {
    accrued_through(rule, spans, year, month)
        - accrued_through(rule, spans, year, month.saturating_sub(1))
}

/// Leave earned from January through the end of `month` (0: none), to the hundredth of a day.
/// The running total is rounded, not each month: 26 days a year are 26 by December, not
/// twelve times 2.17.
fn accrued_through(rule: &Rule, spans: &[Span], year: i32, month: u32) -> Decimal {
    (1..=month)
        .map(|m| earned_in_month(rule, spans, year, m))
        .sum::<Decimal>()
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn last_day_of(year: i32, month: u32) -> Option<NaiveDate> {
    month_days(year, month).last()
}

/// Of `carried` days, those lapsed by `at`: the part not taken by the end of the expiry month.
fn lapsed(
    rule: &Rule,
    carried: Decimal,
    bookings: &[Booking],
    year: i32,
    at: NaiveDate,
) -> Decimal {
    let Some(deadline) = rule.expires_month.and_then(|m| last_day_of(year, m)) else {
        return Decimal::ZERO;
    };
    if at <= deadline || carried <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let used: Decimal = bookings
        .iter()
        .filter(|b| b.approved && b.starts_on.year() == year && b.starts_on <= deadline)
        .map(|b| b.days)
        .sum();
    carried - carried.min(used)
}

/// The balance of the year of `at`, as of `at`.
pub fn balance(
    rule: &Rule,
    spans: &[Span],
    bookings: &[Booking],
    adjustments: &[Adjustment],
    at: NaiveDate,
) -> Balance {
    let year = at.year();
    let adjusted_in = |y: i32, by: NaiveDate| -> Decimal {
        adjustments
            .iter()
            .filter(|a| a.on.year() == y && a.on <= by)
            .map(|a| a.days)
            .sum()
    };
    let first = spans.iter().map(|s| s.from.year()).min().unwrap_or(year);
    let mut carried = Decimal::ZERO;
    for y in first..year {
        let accrued = accrued_through(rule, spans, y, 12);
        let used: Decimal = bookings
            .iter()
            .filter(|b| b.approved && b.starts_on.year() == y)
            .map(|b| b.days)
            .sum();
        let year_end = last_day_of(y, 12).unwrap_or(at);
        let expired = lapsed(rule, carried, bookings, y, year_end);
        let left = carried - expired + accrued + adjusted_in(y, year_end) - used;
        carried = if left > rule.carry_over_cap {
            rule.carry_over_cap
        } else {
            left
        };
    }
    let this_year = |f: &dyn Fn(&Booking) -> bool| -> Decimal {
        bookings
            .iter()
            .filter(|b| b.starts_on.year() == year && f(b))
            .map(|b| b.days)
            .sum()
    };
    let accrued = accrued_through(rule, spans, year, at.month());
    let taken = this_year(&|b| b.approved && b.starts_on <= at);
    let booked = this_year(&|b| b.approved && b.starts_on > at);
    let requested = this_year(&|b| !b.approved);
    let expired = lapsed(rule, carried, bookings, year, at);
    let adjusted = adjusted_in(year, at);
    Balance {
        year,
        carried,
        expired,
        accrued,
        adjusted,
        taken,
        booked,
        requested,
        available: carried - expired + accrued + adjusted - taken - booked - requested,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn annual(days: &str, cap: &str, expires: Option<u32>) -> Rule {
        Rule {
            days_per_year: dec(days),
            carry_over_cap: dec(cap),
            expires_month: expires,
        }
    }
    fn full_time(from: &str) -> Span {
        Span {
            from: d(from),
            to: None,
            share: Decimal::ONE,
        }
    }

    #[test]
    fn a_full_year_earns_the_entitlement_month_by_month() {
        let rule = annual("24", "0", None);
        let spans = [full_time("2026-01-01")];
        let b = balance(&rule, &spans, &[], &[], d("2026-03-15"));
        assert_eq!(b.accrued, dec("6"), "two a month, March counted whole");
        let b = balance(&rule, &spans, &[], &[], d("2026-12-31"));
        assert_eq!(b.accrued, dec("24"));
    }

    #[test]
    fn a_year_that_does_not_divide_by_twelve_still_earns_its_days() {
        let rule = annual("26", "0", None);
        let spans = [full_time("2026-01-01")];
        let months: Vec<Decimal> = (1..=12)
            .map(|m| accrued_in_month(&rule, &spans, 2026, m))
            .collect();
        assert_eq!(months[0], dec("2.17"));
        assert_eq!(months[1], dec("2.16"), "January's rounding is given back");
        assert_eq!(months.iter().sum::<Decimal>(), dec("26"));
        let b = balance(&rule, &spans, &[], &[], d("2026-03-15"));
        assert_eq!(b.accrued, dec("6.5"));
    }

    #[test]
    fn a_mid_month_start_and_part_time_earn_in_proportion() {
        let rule = annual("24", "0", None);
        // Hired on 16 June (15 of 30 days), at 30 of 40 hours.
        let spans = [Span {
            from: d("2026-06-16"),
            to: None,
            share: dec("0.75"),
        }];
        assert_eq!(accrued_in_month(&rule, &spans, 2026, 6), dec("0.75"));
        assert_eq!(accrued_in_month(&rule, &spans, 2026, 7), dec("1.5"));
        let b = balance(&rule, &spans, &[], &[], d("2026-12-01"));
        assert_eq!(b.accrued, dec("0.75") + dec("1.5") * Decimal::from(6));
    }

    #[test]
    fn the_rest_carries_over_capped_and_lapses_untaken() {
        let rule = annual("24", "5", Some(3));
        let spans = [full_time("2025-01-01")];
        // 2025: 24 earned, 16 taken, 8 left: 5 carry over.
        let bookings = [
            Booking {
                starts_on: d("2025-08-04"),
                days: dec("16"),
                approved: true,
            },
            Booking {
                starts_on: d("2026-02-02"),
                days: dec("2"),
                approved: true,
            },
            Booking {
                starts_on: d("2026-07-06"),
                days: dec("3"),
                approved: false,
            },
        ];
        let feb = balance(&rule, &spans, &bookings, &[], d("2026-02-10"));
        assert_eq!(
            (feb.carried, feb.expired, feb.accrued, feb.taken),
            (dec("5"), dec("0"), dec("4"), dec("2"))
        );
        assert_eq!(feb.available, dec("5") + dec("4") - dec("2") - dec("3"));
        // After March the 3 carried days not taken lapse.
        let apr = balance(&rule, &spans, &bookings, &[], d("2026-04-01"));
        assert_eq!(apr.expired, dec("3"));
        assert_eq!(
            apr.available,
            dec("5") - dec("3") + dec("8") - dec("2") - dec("3")
        );
    }

    #[test]
    fn an_overdrawn_year_carries_its_debt() {
        let rule = annual("12", "5", None);
        let spans = [full_time("2025-07-01")];
        let bookings = [Booking {
            starts_on: d("2025-12-01"),
            days: dec("8"),
            approved: true,
        }];
        let b = balance(&rule, &spans, &bookings, &[], d("2026-01-05"));
        assert_eq!(
            (b.carried, b.accrued, b.available),
            (dec("-2"), dec("1"), dec("-1"))
        );
    }

    #[test]
    fn an_opening_balance_counts_from_its_day_and_carries_over_capped() {
        let rule = annual("24", "10", None);
        let spans = [full_time("2025-01-01")];
        let opening = [Adjustment {
            on: d("2025-06-30"),
            days: dec("4.5"),
        }];
        let before = balance(&rule, &spans, &[], &opening, d("2025-05-31"));
        assert_eq!(before.adjusted, dec("0"));
        let after = balance(&rule, &spans, &[], &opening, d("2025-07-01"));
        assert_eq!(after.adjusted, dec("4.5"));
        assert_eq!(after.available, dec("14") + dec("4.5"));
        // 24 earned + 4.5 adjusted, none taken: 10 carry into the next year.
        let next = balance(&rule, &spans, &[], &opening, d("2026-01-10"));
        assert_eq!((next.carried, next.adjusted), (dec("10"), dec("0")));
    }
}
