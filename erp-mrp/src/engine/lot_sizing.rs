//! Lot-sizing rules. Each decides, at the first bucket with a shortage, how much to order
//! given the lot-for-lot net requirements from that bucket on (`r[0]` is the shortage now,
//! `r[j]` the shortage j buckets later if only lot-for-lot were ordered).

use rust_decimal::Decimal;

/// How planned order quantities are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum LotSizing {
    /// Exactly the net requirement of each bucket.
    LotForLot,
    /// Enough whole lots of this size to cover the shortage.
    FixedOrderQuantity(Decimal),
    /// The economic order quantity sqrt(2·D·S / H), then as fixed lots.
    EconomicOrderQuantity {
        annual_demand: Decimal,
        ordering_cost: Decimal,
        annual_holding_cost: Decimal,
    },
    /// Cover the requirements of the next N buckets (empty buckets count).
    PeriodOrderQuantity(usize),
    /// Grow the lot while the cost per unit (ordering + holding) falls.
    LeastUnitCost {
        ordering_cost: Decimal,
        holding_cost: Decimal,
    },
    /// The lot whose holding cost comes closest to the ordering cost.
    LeastTotalCost {
        ordering_cost: Decimal,
        holding_cost: Decimal,
    },
    /// The largest lot whose part-periods stay within the economic part-period (S / h).
    PartPeriodBalancing {
        ordering_cost: Decimal,
        holding_cost: Decimal,
    },
    /// The optimal plan over the horizon (dynamic programming).
    WagnerWhitin {
        ordering_cost: Decimal,
        holding_cost: Decimal,
    },
}

/// Minimum, maximum and multiple applied on top of the rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderModifiers {
    pub minimum: Option<Decimal>,
    pub maximum: Option<Decimal>,
    pub multiple: Option<Decimal>,
}

impl LotSizing {
    /// How many buckets of look-ahead the rule needs (the engine computes no more).
    pub fn look_ahead(&self) -> usize {
        match self {
            LotSizing::LotForLot
            | LotSizing::FixedOrderQuantity(_)
            | LotSizing::EconomicOrderQuantity { .. } => 1,
            LotSizing::PeriodOrderQuantity(n) => (*n).max(1),
            _ => usize::MAX,
        }
    }
}

/// Buckets `r[0..k]` covered by a lot starting now: the number k. Each cost rule keeps its
/// sums as it grows the lot, so it costs O(buckets).
fn covered_buckets(rule: &LotSizing, r: &[Decimal]) -> usize {
    match rule {
        LotSizing::LotForLot
        | LotSizing::FixedOrderQuantity(_)
        | LotSizing::EconomicOrderQuantity { .. } => 1,
        LotSizing::PeriodOrderQuantity(n) => (*n).clamp(1, r.len()),
        LotSizing::LeastUnitCost {
            ordering_cost,
            holding_cost,
        } => {
            // Grow while the next bucket lowers the cost per unit (empty buckets are free to add).
            let (mut quantity, mut held) = (r[0], Decimal::ZERO);
            let mut k = 1;
            while k < r.len() {
                let next_held = held + Decimal::from(k) * r[k] * *holding_cost;
                let next_quantity = quantity + r[k];
                let cheaper = (*ordering_cost + next_held) / next_quantity
                    < (*ordering_cost + held) / quantity;
                if !(r[k].is_zero() || cheaper) {
                    break;
                }
                (quantity, held) = (next_quantity, next_held);
                k += 1;
            }
            trim_empty_tail(r, k)
        }
        LotSizing::LeastTotalCost {
            ordering_cost,
            holding_cost,
        } => {
            let (mut held, mut best, mut best_gap) = (Decimal::ZERO, 1, ordering_cost.abs());
            for k in 2..=r.len() {
                held += Decimal::from(k - 1) * r[k - 1] * *holding_cost;
                let gap = (held - *ordering_cost).abs();
                if gap < best_gap {
                    (best, best_gap) = (k, gap);
                }
                if held > *ordering_cost {
                    break;
                }
            }
            trim_empty_tail(r, best)
        }
        LotSizing::PartPeriodBalancing {
            ordering_cost,
            holding_cost,
        } => {
            let epp = *ordering_cost / *holding_cost;
            let (mut part_periods, mut k) = (Decimal::ZERO, 1);
            while k < r.len() {
                let next = part_periods + Decimal::from(k) * r[k];
                if next > epp {
                    break;
                }
                part_periods = next;
                k += 1;
            }
            trim_empty_tail(r, k)
        }
        LotSizing::WagnerWhitin {
            ordering_cost,
            holding_cost,
        } => wagner_whitin(r, *ordering_cost, *holding_cost)
            .first()
            .copied()
            .unwrap_or(1),
    }
}

/// A lot never ends on buckets without requirements: they add nothing but holding.
fn trim_empty_tail(r: &[Decimal], mut k: usize) -> usize {
    while k > 1 && r[k - 1].is_zero() {
        k -= 1;
    }
    k
}

/// The optimal lots for `r` (r[0] > 0): the number of buckets each lot covers, in order.
pub fn wagner_whitin(r: &[Decimal], ordering_cost: Decimal, holding_cost: Decimal) -> Vec<usize> {
    let n = r.len();
    // best[j] = least cost of covering r[0..j]; from[j] = where its last lot starts.
    let mut best = vec![Decimal::ZERO; n + 1];
    let mut from = vec![0usize; n + 1];
    // The planning-horizon theorem: once the best last lot for r[0..j) starts at i, the best
    // last lot of any longer prefix starts at i or later, so earlier starts are not tried.
    let mut horizon = 0;
    for j in 1..=n {
        if r[j - 1].is_zero() {
            best[j] = best[j - 1];
            from[j] = from[j - 1];
            continue;
        }
        let mut choice: Option<(Decimal, usize)> = None;
        // Walk the start i of the last lot back from j-1; moving i back one bucket holds every
        // unit of r[i+1..j) one bucket longer.
        let (mut holding, mut units_after) = (Decimal::ZERO, Decimal::ZERO);
        for i in (horizon..j).rev() {
            if i + 1 < j {
                units_after += r[i + 1];
                holding += units_after * holding_cost;
            }
            if r[i].is_zero() && i > 0 {
                continue;
            }
            let cost = best[i] + ordering_cost + holding;
            if choice.is_none_or(|(c, _)| cost <= c) {
                choice = Some((cost, i));
            }
        }
        let (cost, i) = choice.unwrap_or((Decimal::ZERO, horizon));
        best[j] = cost;
        from[j] = i;
        horizon = i;
    }
    let mut starts = Vec::new();
    let mut j = n;
    while j > 0 {
        let i = from[j];
        starts.push(i);
        j = i;
    }
    starts.reverse();
    starts.dedup();
    let mut lots: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    if let Some(last) = starts.last() {
        lots.push(n - last);
    }
    lots.into_iter().filter(|k| *k > 0).collect()
}

/// The quantity to order now for the shortage `r[0]` (> 0), with the modifiers applied.
/// Returns the lots to place in this bucket (several when a maximum splits the quantity).
pub fn order_quantity(rule: &LotSizing, modifiers: &OrderModifiers, r: &[Decimal]) -> Vec<Decimal> {
    let mut lots = Vec::new();
    order_lots(rule, modifiers, r, &mut lots);
    lots
}

/// [`order_quantity`] into a buffer the caller reuses (cleared first).
pub fn order_lots(
    rule: &LotSizing,
    modifiers: &OrderModifiers,
    r: &[Decimal],
    lots: &mut Vec<Decimal>,
) {
    lots.clear();
    let need = r[0];
    let mut q = match rule {
        LotSizing::FixedOrderQuantity(lot) if *lot > Decimal::ZERO => (need / lot).ceil() * lot,
        LotSizing::EconomicOrderQuantity {
            annual_demand,
            ordering_cost,
            annual_holding_cost,
        } if *annual_holding_cost > Decimal::ZERO => {
            use rust_decimal::MathematicalOps;
            let eoq = (Decimal::TWO * annual_demand * ordering_cost / annual_holding_cost)
                .sqrt()
                .unwrap_or(need)
                .ceil()
                .max(Decimal::ONE);
            (need / eoq).ceil() * eoq
        }
        _ => r[..covered_buckets(rule, r)].iter().sum(),
    };
    if let Some(min) = modifiers.minimum {
        q = q.max(min);
    }
    if let Some(m) = modifiers.multiple.filter(|m| *m > Decimal::ZERO) {
        q = (q / m).ceil() * m;
    }
    match modifiers.maximum.filter(|m| *m > Decimal::ZERO) {
        // Several orders of at most the maximum, together covering at least the shortage.
        Some(max) if q > max => {
            let mut left = q.max(need);
            while left > Decimal::ZERO {
                let lot = left.min(max);
                lots.push(lot);
                left -= lot;
            }
        }
        _ => lots.push(q),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn ds(v: &[i64]) -> Vec<Decimal> {
        v.iter().map(|x| d(*x)).collect()
    }

    const S: i64 = 120;

    // Requirements 100, 50, 40, 50; ordering cost 120; holding 1 per unit and bucket.
    fn r() -> Vec<Decimal> {
        ds(&[100, 50, 40, 50])
    }

    #[test]
    fn least_unit_cost_by_hand() {
        // k=1: 120/100 = 1.20; k=2: (120+50)/150 = 1.13; k=3: (120+50+80)/190 = 1.32 -> 2 buckets.
        let rule = LotSizing::LeastUnitCost {
            ordering_cost: d(S),
            holding_cost: d(1),
        };
        assert_eq!(
            order_quantity(&rule, &OrderModifiers::default(), &r()),
            ds(&[150])
        );
        // From bucket 2: 120/40 = 3.0; (120+50)/90 = 1.89 -> both.
        assert_eq!(
            order_quantity(&rule, &OrderModifiers::default(), &ds(&[40, 50])),
            ds(&[90])
        );
    }

    #[test]
    fn least_total_cost_by_hand() {
        // Holding 0, 50, 130, 280 against ordering 120: 130 is closest -> 3 buckets, 190.
        let rule = LotSizing::LeastTotalCost {
            ordering_cost: d(S),
            holding_cost: d(1),
        };
        assert_eq!(
            order_quantity(&rule, &OrderModifiers::default(), &r()),
            ds(&[190])
        );
    }

    #[test]
    fn part_period_balancing_by_hand() {
        // Part-periods 0, 50, 130: the economic part-period is 120 -> 2 buckets, 150.
        let rule = LotSizing::PartPeriodBalancing {
            ordering_cost: d(S),
            holding_cost: d(1),
        };
        assert_eq!(
            order_quantity(&rule, &OrderModifiers::default(), &r()),
            ds(&[150])
        );
    }

    #[test]
    fn wagner_whitin_finds_the_optimum_by_hand() {
        // F(1)=120, F(2)=170, F(3)=250, F(4)=min(400, 380, 340, 370)=340: lots at 0 (2 buckets) and 2 (2 buckets).
        assert_eq!(wagner_whitin(&r(), d(S), d(1)), vec![2, 2]);
        // With expensive orders, one lot covers everything.
        assert_eq!(wagner_whitin(&r(), d(10_000), d(1)), vec![4]);
        // With free orders, lot for lot.
        assert_eq!(wagner_whitin(&r(), d(0), d(1)), vec![1, 1, 1, 1]);
        // Empty buckets never start a lot: the first lot spans b0 and the empty b1, the second b2.
        assert_eq!(wagner_whitin(&ds(&[10, 0, 10]), d(5), d(1)), vec![2, 1]);
    }

    #[test]
    fn fixed_economic_and_period_quantities() {
        let none = OrderModifiers::default();
        assert_eq!(
            order_quantity(&LotSizing::FixedOrderQuantity(d(25)), &none, &ds(&[10])),
            ds(&[25])
        );
        assert_eq!(
            order_quantity(&LotSizing::FixedOrderQuantity(d(25)), &none, &ds(&[60])),
            ds(&[75])
        );
        // sqrt(2 * 1200 * 100 / 24) = 100.
        let eoq = LotSizing::EconomicOrderQuantity {
            annual_demand: d(1200),
            ordering_cost: d(100),
            annual_holding_cost: d(24),
        };
        assert_eq!(order_quantity(&eoq, &none, &ds(&[30])), ds(&[100]));
        assert_eq!(
            order_quantity(
                &LotSizing::PeriodOrderQuantity(3),
                &none,
                &ds(&[10, 0, 20, 40])
            ),
            ds(&[30])
        );
        assert_eq!(
            order_quantity(&LotSizing::LotForLot, &none, &ds(&[7, 9])),
            ds(&[7])
        );
    }

    #[test]
    fn modifiers_apply_on_top() {
        let m = |min: Option<i64>, max: Option<i64>, mult: Option<i64>| OrderModifiers {
            minimum: min.map(d),
            maximum: max.map(d),
            multiple: mult.map(d),
        };
        assert_eq!(
            order_quantity(&LotSizing::LotForLot, &m(Some(50), None, None), &ds(&[7])),
            ds(&[50])
        );
        assert_eq!(
            order_quantity(&LotSizing::LotForLot, &m(None, None, Some(12)), &ds(&[13])),
            ds(&[24])
        );
        assert_eq!(
            order_quantity(&LotSizing::LotForLot, &m(None, Some(40), None), &ds(&[100])),
            ds(&[40, 40, 20])
        );
    }
}
