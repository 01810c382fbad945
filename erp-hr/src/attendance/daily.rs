//! Daily totals, a pure function: hours worked per day, hours expected by the calendar less
//! holidays and approved leave, overtime by rule, a check-out missing from an earlier day,
//! absence without leave, and with shift times, lateness and leaving early.
//!
//! Days are the branch's days, in its time zone. Without shift times a stretch across midnight
//! is split at it. With shift times a stretch counts whole on the day of the shift it belongs
//! to: the shift whose start is nearest its check-in, within 4 hours. Monday's night shift
//! from 22:00 to 06:00 counts 8 hours on Monday; a check-in at 23:50 on Monday for a shift
//! starting at 00:00 counts on Tuesday. A stretch near no shift counts on the day it began.
//!
//! Daily rules are tiers: with rules over 8 hours (×1.25) and over 10 (×1.5), a 11-hour day
//! has 2 hours at the first rate and 1 at the second. Weekly rules count, for each whole
//! Monday-to-Sunday week in the range, the hours over the threshold that the daily rules did
//! not count already.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use erp_core::org::{instant, wall_clock, Tz};
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
    /// Minutes the day's first check-in came after its first shift's start.
    pub late_minutes: i64,
    /// Minutes the day's last check-out came before its last shift's end.
    pub left_early_minutes: i64,
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

/// What one employee's days are measured against: their calendar, their branch's holidays and
/// time zone, and their approved leave by day.
pub struct Plan<'a> {
    pub week: &'a Week,
    pub holidays: &'a HashSet<NaiveDate>,
    pub leave: &'a HashMap<NaiveDate, Decimal>,
    pub zone: Tz,
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

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// A shift's start or end on a day, as a wall-clock time.
fn at_minute(day: NaiveDate, minute: u32) -> NaiveDateTime {
    midnight(day) + Duration::minutes(i64::from(minute))
}

/// The day a stretch counts on with shift times: that of the shift starting nearest its
/// check-in within 4 hours, else the day it began.
fn shift_day(week: &Week, check_in: NaiveDateTime) -> NaiveDate {
    let began = check_in.date();
    let mut best: Option<(i64, NaiveDate)> = None;
    for day in [began - Duration::days(1), began, began + Duration::days(1)] {
        for slot in week.slots_on(day) {
            let gap = (check_in - at_minute(day, slot.start)).num_minutes().abs();
            if gap <= 240 && best.is_none_or(|(g, _)| gap < g) {
                best = Some((gap, day));
            }
        }
    }
    best.map_or(began, |(_, day)| day)
}

/// The day each stretch counts on: for a calendar of hours, `None` (split at midnight).
fn days_of(plan: &Plan, stretches: &[Stretch]) -> Vec<Option<NaiveDate>> {
    stretches
        .iter()
        .map(|s| {
            let local = wall_clock(plan.zone, s.check_in);
            if plan.week.has_shifts() {
                Some(shift_day(plan.week, local))
            } else {
                None
            }
        })
        .collect()
}

pub fn totals(
    plan: &Plan,
    stretches: &[Stretch],
    rules: &[OvertimeRule],
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> Totals {
    let zone = plan.zone;
    let today = wall_clock(zone, now).date();
    let counted_on = days_of(plan, stretches);
    let mut day_rules: Vec<&OvertimeRule> = rules.iter().filter(|r| r.per == Per::Day).collect();
    day_rules.sort_by_key(|r| r.threshold);
    let mut week_rules: Vec<&OvertimeRule> = rules.iter().filter(|r| r.per == Per::Week).collect();
    week_rules.sort_by_key(|r| r.threshold);
    let mut by_rule: HashMap<String, Decimal> = HashMap::new();
    let mut days = Vec::new();
    let (mut week_worked, mut week_daily_ot, mut week_start) = (Decimal::ZERO, Decimal::ZERO, None);
    for day in from.iter_days().take_while(|d| *d <= to) {
        // The day's bounds as UTC instants: 23 or 25 hours apart when the clocks change.
        let start = instant(zone, midnight(day));
        let end = instant(zone, midnight(day + Duration::days(1)));
        let mut worked = Decimal::ZERO;
        let mut open_here = false;
        let (mut first_in, mut last_out) = (None::<NaiveDateTime>, None::<NaiveDateTime>);
        for (s, on) in stretches.iter().zip(&counted_on) {
            let here = match on {
                Some(d) => *d == day,
                None => s.check_in >= start && s.check_in < end,
            };
            match (s.check_out, on) {
                (Some(out), Some(_)) if here => {
                    worked += hours(out - s.check_in);
                    first_in = Some(first_in.map_or(s.check_in, |f| f.min(s.check_in)));
                    last_out = Some(last_out.map_or(out, |l| l.max(out)));
                }
                (Some(out), None) => {
                    let (a, b) = (s.check_in.max(start), out.min(end));
                    if b > a {
                        worked += hours(b - a);
                    }
                }
                (None, _) => open_here |= here,
                _ => {}
            }
        }
        let worked = round2(worked);
        let off = plan.leave.get(&day).copied().unwrap_or(Decimal::ZERO);
        let holiday = plan.holidays.contains(&day);
        let planned = if holiday {
            Decimal::ZERO
        } else {
            plan.week.hours_on(day)
        };
        let expected = round2(planned * (Decimal::ONE - off));
        let slots = if holiday {
            &[][..]
        } else {
            plan.week.slots_on(day)
        };
        let late_minutes = match (slots.first(), first_in) {
            (Some(slot), Some(t)) => (t - instant(zone, at_minute(day, slot.start)))
                .num_minutes()
                .max(0),
            _ => 0,
        };
        let left_early_minutes = match (slots.iter().map(|s| s.end).max(), last_out) {
            (Some(end), Some(t)) if !open_here => (instant(zone, at_minute(day, end)) - t)
                .num_minutes()
                .max(0),
            _ => 0,
        };
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
            late_minutes,
            left_early_minutes,
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
    use crate::calendar::days::Slot;

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
        Week::of_hours([h, h, h, h, h, Decimal::ZERO, Decimal::ZERO])
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
            &Plan {
                week: &office(),
                holidays: &HashSet::new(),
                leave: &leave,
                zone: Tz::UTC,
            },
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
            &Plan {
                week: &office(),
                holidays: &HashSet::new(),
                leave: &HashMap::new(),
                zone: Tz::UTC,
            },
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

    /// Nights Monday to Friday, 22:00 to 06:00 with half an hour's break: 7.5 hours.
    fn nights() -> Week {
        let h = dec("7.5");
        let z = Decimal::ZERO;
        let mut w = Week::of_hours([h, h, h, h, h, z, z]);
        for day in w.slots.iter_mut().take(5) {
            day.push(Slot {
                start: 22 * 60,
                end: 30 * 60,
            });
        }
        w
    }

    #[test]
    fn a_night_shift_counts_whole_on_the_day_it_starts_with_lateness() {
        let stretches = [
            // Monday's night, 10 minutes late, out on time: 7 hours 50 minutes on Monday.
            stretch("2026-11-02 22:10", Some("2026-11-03 06:00")),
            // Tuesday's night, in early, out 30 minutes early.
            stretch("2026-11-03 21:55", Some("2026-11-04 05:30")),
            // Wednesday's night in two stretches, both Wednesday's.
            stretch("2026-11-04 22:00", Some("2026-11-05 01:00")),
            stretch("2026-11-05 01:30", Some("2026-11-05 06:00")),
            // Saturday morning, near no shift: Saturday's.
            stretch("2026-11-07 09:00", Some("2026-11-07 12:00")),
        ];
        let t = totals(
            &Plan {
                week: &nights(),
                holidays: &HashSet::new(),
                leave: &HashMap::new(),
                zone: Tz::UTC,
            },
            &stretches,
            &[rule("OT", Per::Day, "8", "1.25")],
            d("2026-11-02"),
            d("2026-11-08"),
            at("2026-12-01 12:00"),
        );
        let got: Vec<(Decimal, i64, i64, bool)> = t
            .days
            .iter()
            .map(|x| (x.worked, x.late_minutes, x.left_early_minutes, x.absent))
            .collect();
        assert_eq!(
            got,
            [
                (dec("7.83"), 10, 0, false),
                (dec("7.58"), 0, 30, false),
                (dec("7.5"), 0, 0, false),
                // Thursday's night was not worked: absent.
                (dec("0"), 0, 0, true),
                (dec("0"), 0, 0, true),
                (dec("3"), 0, 0, false),
                (dec("0"), 0, 0, false),
            ]
        );
        assert_eq!(
            t.overtime[0].hours,
            Decimal::ZERO,
            "no night is over 8 hours"
        );
    }

    #[test]
    fn days_are_the_branch_s_days_in_its_time_zone() {
        let ny = erp_core::org::zone("America/New_York");
        // 18:00 to 23:00 in New York on Monday 2 November 2026 (UTC-5): 23:00 to 04:00 UTC.
        let stretches = [stretch("2026-11-02 23:00", Some("2026-11-03 04:00"))];
        let plan = Plan {
            week: &office(),
            holidays: &HashSet::new(),
            leave: &HashMap::new(),
            zone: ny,
        };
        let t = totals(
            &plan,
            &stretches,
            &[],
            d("2026-11-02"),
            d("2026-11-03"),
            at("2026-12-01 12:00"),
        );
        assert_eq!(
            t.days[0].worked,
            dec("5"),
            "all of it on Monday, New York's day"
        );
        assert_eq!(t.days[1].worked, Decimal::ZERO);
        // On the night the clocks go back (1 November 2026), midnight to midnight is 25 hours.
        let long = [stretch("2026-11-01 04:00", Some("2026-11-02 05:00"))];
        let t = totals(
            &plan,
            &long,
            &[],
            d("2026-11-01"),
            d("2026-11-01"),
            at("2026-12-01 12:00"),
        );
        assert_eq!(t.days[0].worked, dec("25"));
    }
}
