//! What the plan keeps per item besides the rows the API shows: its record in millionths and
//! the engine's orders, so a net-change run can take the item over unchanged.

use erp_core::error::AppError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::engine::{Micro, Records};

#[derive(Debug, Serialize, Deserialize)]
pub struct StoredRecord {
    /// The six rows of the record one after the other, in millionths.
    pub cells: Vec<Micro>,
    /// (release bucket, due bucket, quantity in millionths, past due, phantom)
    pub orders: Vec<(usize, usize, Micro, bool, bool)>,
}

/// The form plans were stored in before 2026-12-06: decimals, the rows apart.
#[derive(Deserialize)]
struct Decimals {
    rows: [Vec<Decimal>; 6],
    orders: Vec<(usize, usize, Decimal, bool, bool)>,
}

fn micro(d: Decimal) -> Micro {
    crate::bom::structure::ceil6(d)
        .to_scaled()
        .unwrap_or(Micro::MAX)
}

impl StoredRecord {
    /// Reads a stored record in either form.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        if let Ok(r) = serde_json::from_str::<StoredRecord>(text) {
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
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let new = serde_json::to_string(&r).expect("writes");
        assert_eq!(StoredRecord::parse(&new).expect("reads").cells, r.cells);
        assert!(StoredRecord::parse("{}").is_err());
    }
}
