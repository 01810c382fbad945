//! Daily totals, a pure function: hours worked per day (a stretch across midnight split at
//! it), hours expected by the calendar less holidays and approved leave, overtime by rule,
//! a check-out missing from an earlier day, and absence without leave.
//!
//! Daily rules are tiers: with rules over 8 hours (×1.25) and over 10 (×1.5), a 11-hour day
//! has 2 hours at the first rate and 1 at the second. Weekly rules count, for each whole
//! Monday-to-Sunday week in the range, the hours over the threshold that the daily rules did
//! not count already. Days are UTC days.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::calendar::days::Week;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Day,
    Week,
}

#[derive(Debug, Clone)]
pub struct OvertimeRule {
    pub code: String,
    pub per: Per,
    pub threshold: Decimal,
    pub rate: Decimal,
}

#[derive(Debug, Clone, Copy)]
pub struct Stretch {
    pub check_in: NaiveDateTime,
    pub check_out: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub day: NaiveDate,
    pub expected: Decimal,
    pub worked: Decimal,
    /// Days of approved leave (0, 0.5 or 1).
    pub leave: Decimal,
    pub overtime: Decimal,
    pub missing_check_out: bool,
    pub absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overtime {
    pub code: String,
    pub rate: Decimal,
    pub hours: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub days: Vec<Day>,
    pub overtime: Vec<Overtime>,
}

fn hours(d: Duration) -> Decimal {
    Decimal::from(d.num_seconds()) / Decimal::from(3600)
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The hours over each tier of the rules (sorted by threshold), per rule code.
fn tiers(rules: &[&OvertimeRule], worked: Decimal) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let ceiling = rules.get(i + 1).map(|n| n.threshold);
        let top = ceiling.map_or(worked, |c| worked.min(c));
        if top > r.threshold {
            out.push((r.code.clone(), top - r.threshold));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub fn totals(
    week: &Week,
    holidays: &HashSet<NaiveDate>,
    leave: &HashMap<NaiveDate, Decimal>,
    stretches: &[Stretch],
    rules: &[OvertimeRule],
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> Totals {
    let today = now.date();
    let mut day_rules: Vec<&OvertimeRule> = rules.iter().filter(|r| r.per == Per::Day).collect();
    day_rules.sort_by_key(|r| r.threshold);
    let mut week_rules: Vec<&OvertimeRule> = rules.iter().filter(|r| r.per == Per::Week).collect();
    week_rules.sort_by_key(|r| r.threshold);
    let mut by_rule: HashMap<String, Decimal> = HashMap::new();
    let mut days = Vec::new();
    let (mut week_worked, mut week_daily_ot, mut week_start) = (Decimal::ZERO, Decimal::ZERO, None);
    for day in from.iter_days().take_while(|d| *d <= to) {
        let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        let end = start + Duration::days(1);
        let mut worked = Decimal::ZERO;
        let mut open_here = false;
        for s in stretches {
            match s.check_out {
                Some(out) => {
                    let (a, b) = (s.check_in.max(start), out.min(end));
                    if b > a {
                        worked += hours(b - a);
                    }
                }
                None => open_here |= s.check_in.date() == day,
            }
        }
        let worked = round2(worked);
        let off = leave.get(&day).copied().unwrap_or(Decimal::ZERO);
        let planned = if holidays.contains(&day) {
            Decimal::ZERO
        } else {
            week.hours_on(day)
        };
        let expected = round2(planned * (Decimal::ONE - off));
        let mut overtime = Decimal::ZERO;
        for (code, h) in tiers(&day_rules, worked) {
            overtime += h;
            *by_rule.entry(code).or_default() += h;
        }
        days.push(Day {
            day,
            expected,
            worked,
            leave: off,
            overtime,
            missing_check_out: open_here && day < today,
            absent: day <= today && expected > Decimal::ZERO && worked.is_zero() && !open_here,
        });
        // Whole weeks only: a week counts when its Monday and Sunday are in the range.
        if day.weekday() == Weekday::Mon {
            week_start = Some(day);
            week_worked = Decimal::ZERO;
            week_daily_ot = Decimal::ZERO;
        }
        week_worked += worked;
        week_daily_ot += overtime;
        if day.weekday() == Weekday::Sun && week_start.is_some() {
            for (code, h) in tiers(&week_rules, week_worked - week_daily_ot) {
                *by_rule.entry(code).or_default() += h;
            }
            week_start = None;
        }
    }
    let overtime = rules
        .iter()
        .map(|r| Overtime {
            code: r.code.clone(),
            rate: r.rate,
            hours: by_rule.get(&r.code).copied().unwrap_or(Decimal::ZERO),
        })
        .collect();
    Totals { days, overtime }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn office() -> Week {
        let h = Decimal::from(8);
        Week([h, h, h, h, h, Decimal::ZERO, Decimal::ZERO])
    }
    fn stretch(a: &str, b: Option<&str>) -> Stretch {
        Stretch {
            check_in: at(a),
            check_out: b.map(at),
        }
    }
    fn rule(code: &str, per: Per, threshold: &str, rate: &str) -> OvertimeRule {
        OvertimeRule {
            code: code.into(),
            per,
            threshold: dec(threshold),
            rate: dec(rate),
        }
    }

    #[test]
    fn daily_tiers_a_night_shift_and_the_flags() {
        let rules = [
            rule("OT150", Per::Day, "10", "1.5"),
            rule("OT125", Per::Day, "8", "1.25"),
        ];
        let stretches = [
            // Monday 11 hours: 2 at 1.25, 1 at 1.5.
            stretch("2026-11-02 07:00", Some("2026-11-02 18:00")),
            // Tuesday night into Wednesday: 2 hours on Tuesday, 6 on Wednesday.
            stretch("2026-11-03 22:00", Some("2026-11-04 06:00")),
            // Thursday: in, never out.
            stretch("2026-11-05 08:00", None),
        ];
        let leave: HashMap<_, _> = [(d("2026-11-06"), dec("0.5"))].into();
        let t = totals(
            &office(),
            &HashSet::new(),
            &leave,
            &stretches,
            &rules,
            d("2026-11-02"),
            d("2026-11-08"),
            at("2026-12-01 12:00"),
        );
        let worked: Vec<Decimal> = t.days.iter().map(|x| x.worked).collect();
        assert_eq!(
            worked,
            [
                dec("11"),
                dec("2"),
                dec("6"),
                dec("0"),
                dec("0"),
                dec("0"),
                dec("0")
            ]
        );
        assert_eq!(t.days[0].overtime, dec("3"));
        assert!(t.days[3].missing_check_out && !t.days[3].absent);
        // Friday: half a day of leave, nothing worked: absent for the other half.
        assert_eq!((t.days[4].expected, t.days[4].absent), (dec("4"), true));
        assert!(!t.days[5].absent, "Saturday is no working day");
        let ot: Vec<(&str, Decimal)> = t
            .overtime
            .iter()
            .map(|o| (o.code.as_str(), o.hours))
            .collect();
        assert_eq!(ot, [("OT150", dec("1")), ("OT125", dec("2"))]);
    }

    #[test]
    fn weekly_overtime_counts_what_the_days_did_not() {
        let rules = [
            rule("DAY", Per::Day, "9", "1.25"),
            rule("WEEK", Per::Week, "40", "1.25"),
        ];
        // Monday to Saturday, 8.5 hours each, Tuesday 10: 52.5 hours, 1 of them daily overtime.
        let mut stretches = Vec::new();
        for (i, day) in ["02", "03", "04", "05", "06", "07"].iter().enumerate() {
            let out = if i == 1 { "18:00" } else { "16:30" };
            stretches.push(stretch(
                &format!("2026-11-{day} 08:00"),
                Some(&format!("2026-11-{day} {out}")),
            ));
        }
        let t = totals(
            &office(),
            &HashSet::new(),
            &HashMap::new(),
            &stretches,
            &rules,
            d("2026-11-02"),
            d("2026-11-08"),
            at("2026-12-01 12:00"),
        );
        let ot: Vec<(&str, Decimal)> = t
            .overtime
            .iter()
            .map(|o| (o.code.as_str(), o.hours))
            .collect();
        assert_eq!(ot, [("DAY", dec("1")), ("WEEK", dec("11.5"))]);
    }
}
