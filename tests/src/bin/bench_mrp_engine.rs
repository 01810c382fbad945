//! The MRP engine alone on generated data: items in BOMs 5 levels deep, 52 weekly buckets.
//!
//! cargo run --release -p erp-tests --bin bench-mrp-engine -- 1000 10000 100000

use std::time::Instant;

use erp_mrp::engine::{plan, BomLine, LotSizing, OrderModifiers, PlanInput, PlanItem};
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

const LEVELS: usize = 5;
const BUCKETS: usize = 52;

fn generate(items: usize, rng: &mut rand::rngs::StdRng) -> PlanInput {
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

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10_000, 100_000]
    } else {
        sizes
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    for n in sizes {
        let input = generate(n, &mut rng);
        let mut times = Vec::new();
        let mut orders = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let out = plan(&input).expect("generated BOMs have no cycles");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            orders = out.orders.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "items={n:<7} bom_lines={:<7} demand_entries={:<7} planned_orders={orders:<8} median of 3 runs={:>9.1} ms  peak RSS so far={:.0} MiB",
            input.bom.len(),
            input.independent_demand.len(),
            times[1],
            peak_rss_mib()
        );
    }
}
