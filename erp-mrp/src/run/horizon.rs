//! The planning horizon: buckets of a day, a week or a month from a start date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BucketSize {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub start: NaiveDate,
    pub size: BucketSize,
    pub buckets: usize,
}

impl Horizon {
    /// The first day of bucket `k` (`k` may be `buckets`: the end of the horizon).
    pub fn bucket_start(&self, k: usize) -> NaiveDate {
        match self.size {
            BucketSize::Day => crate::util::add_days(self.start, k as i64),
            BucketSize::Week => crate::util::add_days(self.start, 7 * k as i64),
            BucketSize::Month => self
                .start
                .checked_add_months(Months::new(k as u32))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn end(&self) -> NaiveDate {
        self.bucket_start(self.buckets)
    }

    /// The bucket a date falls in: dates before the start fall in the first bucket (past
    /// due), dates from the end on in none.
    pub fn bucket_of(&self, date: NaiveDate) -> Option<usize> {
        if date < self.start {
            return Some(0);
        }
        if date >= self.end() {
            return None;
        }
        let days = (date - self.start).num_days() as usize;
        Some(match self.size {
            BucketSize::Day => days,
            BucketSize::Week => days / 7,
            BucketSize::Month => (0..self.buckets)
                .rev()
                .find(|k| self.bucket_start(*k) <= date)
                .unwrap_or(0),
        })
    }

    /// Nominal days in a bucket, to turn lead times in days into buckets.
    pub fn days_per_bucket(&self) -> i64 {
        match self.size {
            BucketSize::Day => 1,
            BucketSize::Week => 7,
            BucketSize::Month => 30,
        }
    }

    /// A lead time of `days` in whole buckets, rounded up.
    pub fn lead_time_buckets(&self, days: i32) -> usize {
        let d = i64::from(days.max(0));
        ((d + self.days_per_bucket() - 1) / self.days_per_bucket()) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_in_their_buckets() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let w = Horizon {
            start: d("2026-01-05"),
            size: BucketSize::Week,
            buckets: 4,
        };
        assert_eq!(
            w.bucket_of(d("2026-01-01")),
            Some(0),
            "past dates are past due in bucket 0"
        );
        assert_eq!(w.bucket_of(d("2026-01-11")), Some(0));
        assert_eq!(w.bucket_of(d("2026-01-12")), Some(1));
        assert_eq!(w.bucket_of(d("2026-02-02")), None, "after the horizon");
        assert_eq!(w.lead_time_buckets(8), 2);
        let m = Horizon {
            start: d("2026-01-31"),
            size: BucketSize::Month,
            buckets: 3,
        };
        assert_eq!(m.bucket_start(1), d("2026-02-28"));
        assert_eq!(m.bucket_of(d("2026-03-01")), Some(1));
        assert_eq!(m.bucket_of(d("2026-03-31")), Some(2));
    }
}
