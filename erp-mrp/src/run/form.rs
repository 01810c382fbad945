//! An item plan's record as stored (`mrp_item_plans.record`, JSON): the MRP record and the
//! engine's orders in millionths, shifted by the power of ten they share, and where the
//! orders live in the plan their dates and pegs. Read whole for the lists and pegging, and
//! without the pegs by a net-change run.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use erp_core::error::AppError;

use super::orders::Placed;
use crate::engine::{Micro, Records};

#[derive(Debug, Serialize, Deserialize)]
pub struct StoredRecord {
    /// The six rows of the record one after the other, in millionths (runs of zeros
    /// written short, [`super::cells`]).
    #[serde(with = "super::cells")]
    pub cells: Vec<Micro>,
    /// (release bucket, due bucket, quantity in millionths, past due, phantom)
    pub orders: Vec<(u32, u32, Micro, bool, bool)>,
    /// The ids of those orders, so a net-change run that keeps them need not read them
    /// back (empty in plans stored before 2026-12-06).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The orders as planners see them, where they live in the plan (since 2026-12-06).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed: Option<Placed>,
    /// As stored, every quantity is its millionths divided by 10^shift, the most they all
    /// allow: a quantity of 12 units is written `12`, not `12000000`. Always 0 once read.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shift: u32,
}

/// 10^0 to 10^6.
const POWERS: [i64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Quantities stored shifted by `shift` places, back in millionths.
fn unshift<'a>(
    shift: u32,
    quantities: impl Iterator<Item = &'a mut Micro>,
) -> Result<(), AppError> {
    if shift == 0 {
        return Ok(());
    }
    let unit = 10i64.checked_pow(shift).ok_or_else(|| internal("shift"))?;
    for q in quantities {
        *q = q
            .checked_mul(unit)
            .ok_or_else(|| internal("shifted quantity"))?;
    }
    Ok(())
}

/// A stored record as a net-change run takes it over: the record and the engine's orders.
/// The orders' dates, sources and pegs, most of the text, are skipped unread.
#[derive(Deserialize)]
pub struct KeptRecord {
    #[serde(deserialize_with = "super::cells::deserialize")]
    pub cells: Vec<Micro>,
    pub orders: Vec<(u32, u32, Micro, bool, bool)>,
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    placed: Option<Gone>,
    #[serde(default)]
    shift: u32,
}

#[derive(Deserialize)]
struct Gone {
    #[serde(default)]
    gone: Vec<u32>,
}

impl KeptRecord {
    /// Reads a stored record in either form.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let Ok(mut r) = serde_json::from_str::<KeptRecord>(text) else {
            let r = StoredRecord::parse(text)?;
            return Ok(KeptRecord {
                cells: r.cells,
                orders: r.orders,
                ids: r.ids,
                placed: r.placed.map(|p| Gone { gone: p.gone }),
                shift: 0,
            });
        };
        unshift(
            r.shift,
            r.cells
                .iter_mut()
                .chain(r.orders.iter_mut().map(|o| &mut o.2)),
        )?;
        r.shift = 0;
        Ok(r)
    }

    /// Whether its orders live in the plan (since 2026-12-06) rather than in rows.
    pub fn placed(&self) -> bool {
        self.placed.is_some()
    }

    /// Whether an order was firmed or released from the plan since the run.
    pub fn taken(&self) -> bool {
        self.placed.as_ref().is_some_and(|p| !p.gone.is_empty())
    }

    pub fn buckets(&self) -> usize {
        self.cells.len() / Records::ROWS
    }
}

/// The form plans were stored in before 2026-12-06: decimals, the rows apart.
#[derive(Deserialize)]
struct Decimals {
    rows: [Vec<Decimal>; 6],
    orders: Vec<(u32, u32, Decimal, bool, bool)>,
}

fn micro(d: Decimal) -> Micro {
    crate::bom::structure::ceil6(d)
        .to_scaled()
        .unwrap_or(Micro::MAX)
}

impl StoredRecord {
    /// Reads a stored record in either form.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        if let Ok(mut r) = serde_json::from_str::<StoredRecord>(text) {
            unshift(r.shift, r.quantities())?;
            r.shift = 0;
            return Ok(r);
        }
        let d: Decimals =
            serde_json::from_str(text).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(StoredRecord {
            cells: d.rows.iter().flatten().map(|v| micro(*v)).collect(),
            orders: d
                .orders
                .into_iter()
                .map(|(r, due, q, late, phantom)| (r, due, micro(q), late, phantom))
                .collect(),
            ids: Vec::new(),
            placed: None,
            shift: 0,
        })
    }

    /// Every quantity: the cells, the orders', the pegs'.
    fn quantities(&mut self) -> impl Iterator<Item = &mut Micro> {
        let pegs = self
            .placed
            .iter_mut()
            .flat_map(|p| p.pegs.iter_mut().flatten().map(|g| &mut g.3));
        self.cells
            .iter_mut()
            .chain(self.orders.iter_mut().map(|o| &mut o.2))
            .chain(pegs)
    }

    /// The record as stored, its quantities shifted as far as they all allow.
    pub fn into_json(mut self) -> Result<String, AppError> {
        let mut shift = 6;
        for q in self.quantities() {
            // Most cells are zero, and a division by a power chosen at run time is slow.
            while *q != 0 && shift > 0 && *q % POWERS[shift as usize] != 0 {
                shift -= 1;
            }
        }
        if shift > 0 {
            let unit = POWERS[shift as usize];
            self.quantities()
                .filter(|q| **q != 0)
                .for_each(|q| *q /= unit);
        }
        self.shift = shift;
        serde_json::to_string(&self).map_err(internal)
    }

    pub fn buckets(&self) -> usize {
        self.cells.len() / Records::ROWS
    }

    /// Row `r` in [`crate::engine::MrpRecord`]'s order.
    pub fn row(&self, r: usize) -> &[Micro] {
        let h = self.buckets();
        &self.cells[r * h..(r + 1) * h]
    }

    /// What releases past due add up to (phantoms aside).
    pub fn past_due(&self) -> Micro {
        self.orders
            .iter()
            .filter(|o| o.3 && !o.4)
            .map(|o| o.2)
            .sum()
    }
}

/// What a planned order serves, kept on the order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPeg {
    /// `demand`, `planned_order` (`source_id` the parent item), `production_order`,
    /// `firm_planned_order`.
    pub source_type: String,
    pub source_id: String,
    pub parent_ordinal: Option<i32>,
    /// Qty ×10^6.
    pub quantity: i64,
}

pub(super) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::states::PlannedOrderKind;

    #[test]
    fn a_record_stored_in_decimals_reads_as_millionths() {
        let old = r#"{"rows":[["1.5","0"],["0","2"],["3","0.000001"],["0","0"],["0","0"],["4","0"]],
                     "orders":[[0,1,"2.25",true,false],[0,0,"1",false,true]]}"#;
        let r = StoredRecord::parse(old).expect("reads");
        assert_eq!(r.buckets(), 2);
        assert_eq!(r.row(0), &[1_500_000, 0]);
        assert_eq!(r.row(2), &[3_000_000, 1]);
        assert_eq!(r.row(5), &[4_000_000, 0]);
        assert_eq!(r.past_due(), 2_250_000);
        let cells = r.cells.clone();
        let new = r.into_json().expect("writes");
        // 0.000001 in the cells keeps them in millionths.
        assert!(new.contains("3000000") && !new.contains("shift"), "{new}");
        assert_eq!(StoredRecord::parse(&new).expect("reads").cells, cells);
        assert!(StoredRecord::parse("{}").is_err());
    }

    #[test]
    fn whole_quantities_are_stored_shifted_and_read_as_millionths() {
        let r = StoredRecord {
            cells: vec![12_000_000, 0, 2_500_000, 40_000_000],
            orders: vec![(0, 1, 2_500_000, false, false)],
            ids: Vec::new(),
            placed: None,
            shift: 0,
        };
        let text = r.into_json().expect("writes");
        assert_eq!(
            text,
            r#"{"cells":[120,0,25,400],"orders":[[0,1,25,false,false]],"shift":5}"#
        );
        let back = StoredRecord::parse(&text).expect("reads");
        assert_eq!(back.cells, vec![12_000_000, 0, 2_500_000, 40_000_000]);
        assert_eq!(back.orders[0].2, 2_500_000);
        assert_eq!(back.shift, 0);
    }

    #[test]
    fn a_net_change_run_reads_the_record_and_orders_of_a_plan_and_skips_its_pegs() {
        let placed = Placed {
            kind: PlannedOrderKind::Buy,
            from: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            days: vec![(0, 7), (7, 14)],
            sources: vec!["d-1".into()],
            pegs: vec![vec![(1, 0, -1, 3_000_000)], vec![(1, 0, -1, 500_000)]],
            gone: vec![1],
            at: chrono::DateTime::from_timestamp(1_800_000_000, 0)
                .unwrap()
                .naive_utc(),
        };
        let r = StoredRecord {
            cells: vec![3_000_000, 500_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            orders: vec![
                (0, 1, 3_000_000, false, false),
                (1, 2, 500_000, true, false),
            ],
            ids: Vec::new(),
            placed: Some(placed),
            shift: 0,
        };
        let text = r.into_json().expect("writes");
        assert!(text.contains("\"shift\":5"), "{text}");
        let full = StoredRecord::parse(&text).expect("reads");
        let kept = KeptRecord::parse(&text).expect("reads");
        assert!(kept.placed() && kept.taken());
        assert_eq!((kept.cells, kept.orders), (full.cells, full.orders));
        // A plan stored in decimals reads too, without orders placed.
        let old = r#"{"rows":[["1"],["0"],["0"],["0"],["0"],["0"]],"orders":[]}"#;
        let kept = KeptRecord::parse(old).expect("reads");
        assert_eq!(
            (kept.cells[0], kept.placed(), kept.taken()),
            (1_000_000, false, false)
        );
    }
}
