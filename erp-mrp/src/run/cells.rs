//! A stored record's cells with their runs of zeros written short: most cells of a plan are
//! zero (an item needed on a few days of 84), so `[5,0,0,0,0,0,7]` is stored `[5,[5],7]`.
//! A lone zero stays `0`, and records stored before this form read as they are.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserializer, Serializer};

use crate::engine::Micro;

/// The longest run of zeros read back: far more cells than a record of the longest horizon
/// holds, so a damaged record is an error rather than an allocation of any size.
const LONGEST_RUN: u64 = 1 << 20;

pub fn serialize<S: Serializer>(cells: &[Micro], s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(None)?;
    let mut k = 0;
    while k < cells.len() {
        let zeros = cells[k..].iter().take_while(|c| **c == 0).count();
        match zeros {
            0 => seq.serialize_element(&cells[k])?,
            1 => seq.serialize_element(&0)?,
            n => seq.serialize_element(&[n])?,
        }
        k += zeros.max(1);
    }
    seq.end()
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Micro>, D::Error> {
    d.deserialize_seq(Cells)
}

struct Cells;

impl<'de> Visitor<'de> for Cells {
    type Value = Vec<Micro>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of quantities and runs of zeros")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut cells = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(cell) = seq.next_element::<Cell>()? {
            match cell {
                Cell::Value(v) => cells.push(v),
                Cell::Zeros(n) => cells.resize(cells.len() + n, 0),
            }
        }
        Ok(cells)
    }
}

/// One element of the array: a quantity, or `[n]` for `n` zeros.
enum Cell {
    Value(Micro),
    Zeros(usize),
}

impl<'de> de::Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a quantity or [a count of zeros]")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Value(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        i64::try_from(v)
            .map(Cell::Value)
            .map_err(|_| E::custom("a quantity out of range"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell, A::Error> {
        let n: u64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("an empty run of zeros"))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() || n > LONGEST_RUN {
            return Err(de::Error::custom("a run of zeros is [count]"));
        }
        Ok(Cell::Zeros(n as usize))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct R {
        #[serde(with = "super")]
        cells: Vec<i64>,
    }

    fn json(cells: &[i64]) -> String {
        serde_json::to_string(&R {
            cells: cells.to_vec(),
        })
        .expect("writes")
    }

    #[test]
    fn runs_of_zeros_are_written_short_and_read_back_whole() {
        let cells = vec![5, 0, 0, 0, 0, 0, 7, 0, -3, 0, 0];
        let text = json(&cells);
        assert_eq!(text, r#"{"cells":[5,[5],7,0,-3,[2]]}"#);
        let back: R = serde_json::from_str(&text).expect("reads");
        assert_eq!(back.cells, cells);
        assert_eq!(json(&[]), r#"{"cells":[]}"#);
        assert_eq!(json(&[0, 0]), r#"{"cells":[[2]]}"#);
    }

    #[test]
    fn the_earlier_form_reads_and_a_damaged_run_is_refused() {
        let old: R = serde_json::from_str(r#"{"cells":[1,0,0,2]}"#).expect("reads");
        assert_eq!(old.cells, vec![1, 0, 0, 2]);
        for bad in [
            r#"{"cells":[[]]}"#,
            r#"{"cells":[[2,3]]}"#,
            r#"{"cells":[[99999999999]]}"#,
            r#"{"cells":[1.5]}"#,
            r#"{"cells":[18446744073709551615]}"#,
        ] {
            assert!(serde_json::from_str::<R>(bad).is_err(), "{bad}");
        }
    }
}
