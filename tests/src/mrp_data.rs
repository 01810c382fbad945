//! Generated planning data for the MRP benchmarks: items in BOMs 5 levels deep, demand on the
//! top level, scheduled receipts here and there (fixed seeds). Two shapes: 52 weekly buckets
//! with demand in most of them, or 84 daily buckets with demand on a few days.

use erp_mrp::engine::{BomLine, LotSizing, OrderModifiers, PlanInput, PlanItem};
use rand::Rng;
use rust_decimal::Decimal;

pub const LEVELS: usize = 5;

/// How a generated plan lies in time.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The run's bucket, as `POST /mrp/runs` names it.
    pub bucket: &'static str,
    pub buckets: usize,
    pub days_per_bucket: u64,
    /// The share of buckets in which a top-level item has independent demand.
    pub demand_share: f64,
}

/// 52 weeks, a top-level item demanded in 60 % of them: about 33 planned orders an item.
pub const WEEKLY: Shape = Shape {
    bucket: "week",
    buckets: 52,
    days_per_bucket: 7,
    demand_share: 0.6,
};

/// 84 days, a top-level item demanded on 0.5 % of them: about 2 planned orders an item,
/// the shape of issue 13's comparison with Tryton (2,500 items, 5,593 planned orders).
pub const DAILY: Shape = Shape {
    bucket: "day",
    buckets: 84,
    days_per_bucket: 1,
    demand_share: 0.005,
};

pub fn generate(items: usize, rng: &mut rand::rngs::StdRng) -> PlanInput {
    generate_shaped(items, &WEEKLY, rng)
}

pub fn generate_shaped(items: usize, shape: &Shape, rng: &mut rand::rngs::StdRng) -> PlanInput {
    let per_level = items / LEVELS;
    let level_of = |i: usize| (i / per_level).min(LEVELS - 1);
    let mut input = PlanInput {
        buckets: shape.buckets,
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
            for b in 0..shape.buckets {
                if rng.random_bool(shape.demand_share) {
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
