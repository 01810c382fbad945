//! Counting working days: a day counts when the calendar has hours on its weekday and it is
//! not a public holiday of the branch; a half day counts a half.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A shift's time on its day: minutes after the day's midnight it starts and ends; a shift
/// that runs past midnight ends after minute 1440, and it belongs to the day it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: u32,
    pub end: u32,
}

/// Hours on each weekday, Monday first, and the shifts of each weekday (none for a calendar
/// of hours alone).
#[derive(Debug, Clone, Default)]
pub struct Week {
    pub hours: [Decimal; 7],
    pub slots: [Vec<Slot>; 7],
}

impl Week {
    /// A week of hours per weekday, without shift times.
    pub fn of_hours(hours: [Decimal; 7]) -> Week {
        Week {
            hours,
            slots: Default::default(),
        }
    }

    pub fn hours_on(&self, day: NaiveDate) -> Decimal {
        self.hours[day.weekday().num_days_from_monday() as usize]
    }

    pub fn total(&self) -> Decimal {
        self.hours.iter().copied().sum()
    }

    /// The shifts of the day's weekday, earliest first.
    pub fn slots_on(&self, day: NaiveDate) -> &[Slot] {
        &self.slots[day.weekday().num_days_from_monday() as usize]
    }

    pub fn has_shifts(&self) -> bool {
        self.slots.iter().any(|s| !s.is_empty())
    }
}

/// The working days from `from` to `to`, both included; the first day from midday when
/// `half_start`, the last day until midday when `half_end`.
pub fn working_days(
    week: &Week,
    holidays: &HashSet<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
    half_start: bool,
    half_end: bool,
) -> Decimal {
    let half = Decimal::new(5, 1);
    let mut total = Decimal::ZERO;
    for day in from.iter_days().take_while(|d| *d <= to) {
        if week.hours_on(day) <= Decimal::ZERO || holidays.contains(&day) {
            continue;
        }
        let part = if (day == from && half_start) || (day == to && half_end) {
            half
        } else {
            Decimal::ONE
        };
        total += part;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn office() -> Week {
        let h = Decimal::from(8);
        Week::of_hours([h, h, h, h, h, Decimal::ZERO, Decimal::ZERO])
    }

    #[test]
    fn weekends_and_holidays_do_not_count() {
        let none = HashSet::new();
        // Friday 2026-12-18 to Tuesday 2026-12-22: Fri, Mon, Tue.
        assert_eq!(
            working_days(
                &office(),
                &none,
                d("2026-12-18"),
                d("2026-12-22"),
                false,
                false
            ),
            Decimal::from(3)
        );
        // Christmas week with the 24th to 26th off: Mon 21 to Fri 25 is 21, 22, 23.
        let xmas: HashSet<_> = [d("2026-12-24"), d("2026-12-25")].into();
        assert_eq!(
            working_days(
                &office(),
                &xmas,
                d("2026-12-21"),
                d("2026-12-27"),
                false,
                false
            ),
            Decimal::from(3)
        );
        // Half days at either end.
        assert_eq!(
            working_days(
                &office(),
                &none,
                d("2026-12-21"),
                d("2026-12-23"),
                true,
                true
            ),
            Decimal::from(2)
        );
        // A Saturday alone is no working day at all.
        assert_eq!(
            working_days(
                &office(),
                &none,
                d("2026-12-19"),
                d("2026-12-19"),
                false,
                false
            ),
            Decimal::ZERO
        );
    }
}
