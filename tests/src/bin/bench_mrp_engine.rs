//! The MRP engine alone on generated data: items in BOMs 5 levels deep, 52 weekly buckets.
//!
//! cargo run --release -p erp-tests --bin bench-mrp-engine -- 1000 10000 100000

use erp_tests::bench::peak_rss_mib;
use std::time::Instant;

use erp_mrp::engine::plan;
use erp_tests::mrp_data::generate;
use rand::SeedableRng;

/// Runs per size; the machine is shared, so the fastest and the median are both shown.
const RUNS: usize = 7;

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
        for _ in 0..RUNS {
            let t = Instant::now();
            let out = plan(&input).expect("generated BOMs have no cycles");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            orders = out.orders.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "items={n:<7} bom_lines={:<7} demand_entries={:<7} planned_orders={orders:<8} of {RUNS} runs: fastest {:>7.1} ms, median {:>7.1} ms  peak RSS so far={:.0} MiB",
            input.bom.len(),
            input.independent_demand.len(),
            times[0],
            times[RUNS / 2],
            peak_rss_mib()
        );
    }
}
