//! Generated planning data for the MRP benchmarks: items in BOMs 5 levels deep, 52 weekly
//! buckets, demand on the top level, scheduled receipts here and there (fixed seeds).

use erp_mrp::engine::{BomLine, LotSizing, OrderModifiers, PlanInput, PlanItem};
use rand::Rng;
use rust_decimal::Decimal;

pub const LEVELS: usize = 5;
pub const BUCKETS: usize = 52;

pub fn generate(items: usize, rng: &mut rand::rngs::StdRng) -> PlanInput {
    let per_level = items / LEVELS;
    let level_of = |i: usize| (i / per_level).min(LEVELS - 1);
    let mut input = PlanInput {
        buckets: BUCKETS,
        ..Default::default()
    };
    for i in 0..items {
        let lot_sizing = match i % 10 {
            0 => LotSizing::FixedOrderQuantity(Decimal::from(rng.random_range(20..200))),
            1 => LotSizing::PeriodOrderQuantity(rng.random_range(2..6)),
            2 => LotSizing::WagnerWhitin {
                ordering_cost: Decimal::from(150),
                holding_cost: Decimal::ONE,
            },
            3 => LotSizing::LeastUnitCost {
                ordering_cost: Decimal::from(150),
                holding_cost: Decimal::ONE,
            },
            _ => LotSizing::LotForLot,
        };
        input.items.push(PlanItem {
            lead_time: rng.random_range(1..4),
            safety_stock: Decimal::from(rng.random_range(0..10)),
            on_hand: Decimal::from(rng.random_range(0..100)),
            lot_sizing,
            modifiers: OrderModifiers::default(),
            phantom: false,
        });
        let level = level_of(i);
        if level + 1 < LEVELS {
            let below = (level + 1) * per_level;
            let end = if level + 2 == LEVELS {
                items
            } else {
                below + per_level
            };
            for _ in 0..rng.random_range(2..5) {
                input.bom.push(BomLine {
                    parent: i,
                    child: rng.random_range(below..end),
                    quantity_per: Decimal::from(rng.random_range(1..4)),
                    scrap: Decimal::ZERO,
                    effective_from: None,
                    effective_to: None,
                });
            }
        }
        if level == 0 {
            for b in 0..BUCKETS {
                if rng.random_bool(0.6) {
                    input
                        .independent_demand
                        .push((i, b, Decimal::from(rng.random_range(1..50))));
                }
            }
        }
        if rng.random_bool(0.2) {
            input.scheduled_receipts.push((
                i,
                rng.random_range(0..8),
                Decimal::from(rng.random_range(10..100)),
            ));
        }
    }
    input
}
