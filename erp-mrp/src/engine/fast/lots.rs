//! Lot sizing on scaled integers, decided as `super::super::lot_sizing` decides.

use rust_decimal::{Decimal, MathematicalOps};

use super::num::*;
use super::{Item, Scratch};
use crate::engine::LotSizing;

/// Ordering cost in 10^-12 (a quantity in millionths times a holding cost in millionths is
/// in 10^-12 too); holding cost per unit and bucket in millionths.
#[derive(Clone, Copy)]
pub(super) struct Costs {
    ordering: i128,
    holding: i128,
}

#[derive(Clone, Copy)]
pub(super) enum Rule {
    LotForLot,
    /// Whole lots of this size (a fixed order quantity, or the economic one).
    Lots(i64),
    Period(usize),
    LeastUnitCost(Costs),
    LeastTotalCost(Costs),
    PartPeriod(Costs),
    WagnerWhitin(Costs),
}

impl Rule {
    pub(super) fn of(l: &LotSizing) -> Fit<Rule> {
        let costs = |ordering: &Decimal, holding: &Decimal| -> Fit<Costs> {
            Ok(Costs {
                ordering: mul2(micro(*ordering)?.into(), ONE.into())?,
                holding: micro(*holding)?.into(),
            })
        };
        Ok(match l {
            LotSizing::LotForLot => Rule::LotForLot,
            LotSizing::FixedOrderQuantity(lot) if *lot > Decimal::ZERO => Rule::Lots(micro(*lot)?),
            LotSizing::FixedOrderQuantity(_) => Rule::LotForLot,
            LotSizing::EconomicOrderQuantity {
                annual_demand,
                ordering_cost,
                annual_holding_cost,
            } if *annual_holding_cost > Decimal::ZERO => {
                let eoq = Decimal::TWO
                    .checked_mul(*annual_demand)
                    .and_then(|x| x.checked_mul(*ordering_cost))
                    .and_then(|x| x.checked_div(*annual_holding_cost))
                    .and_then(|x| x.sqrt())
                    .ok_or(Misfit)?
                    .ceil()
                    .max(Decimal::ONE);
                Rule::Lots(micro(eoq)?)
            }
            LotSizing::EconomicOrderQuantity { .. } => Rule::LotForLot,
            LotSizing::PeriodOrderQuantity(n) => Rule::Period(*n),
            LotSizing::LeastUnitCost {
                ordering_cost,
                holding_cost,
            } => Rule::LeastUnitCost(costs(ordering_cost, holding_cost)?),
            LotSizing::LeastTotalCost {
                ordering_cost,
                holding_cost,
            } => Rule::LeastTotalCost(costs(ordering_cost, holding_cost)?),
            LotSizing::PartPeriodBalancing {
                ordering_cost,
                holding_cost,
            } => {
                // The exact engine divides by the holding cost.
                let c = costs(ordering_cost, holding_cost)?;
                if c.holding <= 0 {
                    return Err(Misfit);
                }
                Rule::PartPeriod(c)
            }
            LotSizing::WagnerWhitin {
                ordering_cost,
                holding_cost,
            } => Rule::WagnerWhitin(costs(ordering_cost, holding_cost)?),
        })
    }

    pub(super) fn look_ahead(&self) -> usize {
        match self {
            Rule::LotForLot | Rule::Lots(_) => 1,
            Rule::Period(n) => (*n).max(1),
            _ => usize::MAX,
        }
    }
}

/// The lots to order now for the shortage `scratch.r[0]`, into `scratch.lots`: the rule,
/// then the modifiers, as `lot_sizing::order_lots` does.
pub(super) fn order_lots(it: &Item, scratch: &mut Scratch) -> Fit<()> {
    let need = scratch.r[0];
    let mut q = match it.rule {
        Rule::Lots(lot) => round_up(need, lot)?,
        _ => {
            let k = covered_buckets(it.rule, scratch)?;
            scratch.r[..k].iter().try_fold(0, |s, v| add(s, *v))?
        }
    };
    if let Some(min) = it.minimum {
        q = q.max(min);
    }
    if let Some(m) = it.multiple {
        q = round_up(q, m)?;
    }
    scratch.lots.clear();
    match it.maximum {
        // Several orders of at most the maximum, together covering at least the shortage.
        Some(max) if q > max => {
            let mut left = q.max(need);
            while left > 0 {
                let lot = left.min(max);
                scratch.lots.push(lot);
                left -= lot;
            }
        }
        _ => scratch.lots.push(q),
    }
    Ok(())
}

/// Buckets of `scratch.r` a lot starting now covers, as `lot_sizing::covered_buckets`
/// decides, with every quotient compared by cross-multiplying.
fn covered_buckets(rule: Rule, scratch: &mut Scratch) -> Fit<usize> {
    let r = &scratch.r;
    let at = |k: usize| i128::from(r[k]);
    Ok(match rule {
        Rule::LotForLot | Rule::Lots(_) => 1,
        Rule::Period(n) => n.clamp(1, r.len()),
        Rule::LeastUnitCost(c) => {
            // Grow while the next bucket lowers the cost per unit (empty buckets are free).
            let (mut quantity, mut held) = (at(0), 0i128);
            let mut k = 1;
            while k < r.len() {
                if r[k] != 0 {
                    let next_held = add2(held, mul2(mul2(k as i128, at(k))?, c.holding)?)?;
                    let next_quantity = quantity + at(k);
                    // (S + next_held) / next_quantity < (S + held) / quantity
                    let cheaper = mul2(add2(c.ordering, next_held)?, quantity)?
                        < mul2(add2(c.ordering, held)?, next_quantity)?;
                    if !cheaper {
                        break;
                    }
                    (quantity, held) = (next_quantity, next_held);
                }
                k += 1;
            }
            trim_empty_tail(r, k)
        }
        Rule::LeastTotalCost(c) => {
            let (mut held, mut best, mut best_gap) = (0i128, 1, c.ordering.abs());
            for k in 2..=r.len() {
                held = add2(held, mul2(mul2((k - 1) as i128, at(k - 1))?, c.holding)?)?;
                let gap = (held - c.ordering).abs();
                if gap < best_gap {
                    (best, best_gap) = (k, gap);
                }
                if held > c.ordering {
                    break;
                }
            }
            trim_empty_tail(r, best)
        }
        Rule::PartPeriod(c) => {
            // part-periods > S / h, with h > 0.
            let (mut part_periods, mut k) = (0i128, 1);
            while k < r.len() {
                let next = add2(part_periods, mul2(k as i128, at(k))?)?;
                if mul2(next, c.holding)? > c.ordering {
                    break;
                }
                part_periods = next;
                k += 1;
            }
            trim_empty_tail(r, k)
        }
        Rule::WagnerWhitin(c) => wagner_whitin_first(c, scratch)?,
    })
}

fn trim_empty_tail(r: &[i64], mut k: usize) -> usize {
    while k > 1 && r[k - 1] == 0 {
        k -= 1;
    }
    k
}

/// The buckets the first of the optimal lots covers, as `lot_sizing::wagner_whitin` finds
/// them (same search, same tie-breaking).
fn wagner_whitin_first(c: Costs, scratch: &mut Scratch) -> Fit<usize> {
    let r = &scratch.r;
    let n = r.len();
    let (best, from) = (&mut scratch.best, &mut scratch.from);
    best.clear();
    best.resize(n + 1, 0);
    from.clear();
    from.resize(n + 1, 0);
    let mut horizon = 0;
    for j in 1..=n {
        if r[j - 1] == 0 {
            best[j] = best[j - 1];
            from[j] = from[j - 1];
            continue;
        }
        let mut choice: Option<(i128, usize)> = None;
        let (mut holding, mut units_after) = (0i128, 0i128);
        for i in (horizon..j).rev() {
            if i + 1 < j {
                units_after += i128::from(r[i + 1]);
                holding = add2(holding, mul2(units_after, c.holding)?)?;
            }
            if r[i] == 0 && i > 0 {
                continue;
            }
            let cost = add2(add2(best[i], c.ordering)?, holding)?;
            if choice.is_none_or(|(best_cost, _)| cost <= best_cost) {
                choice = Some((cost, i));
            }
        }
        let (cost, i) = choice.unwrap_or((0, horizon));
        best[j] = cost;
        from[j] = i;
        horizon = i;
    }
    // The first lot ends where the second starts: the least start after 0 on the way back.
    let (mut j, mut first) = (n, n);
    while j > 0 {
        let i = from[j];
        if i > 0 {
            first = i;
        }
        j = i;
    }
    Ok(if n == 0 { 1 } else { first })
}
