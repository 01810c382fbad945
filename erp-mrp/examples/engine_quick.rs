#[path = "../../tests/src/mrp_data.rs"]
mod mrp_data;
use rand::SeedableRng;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let input = mrp_data::generate(n, &mut rng);
    let mut times = Vec::new();
    let mut digest = 0u64;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let out = erp_mrp::engine::plan(&input).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        digest =
            out.orders.len() as u64 * 31 + out.pegs.len() as u64 * 7 + out.messages.len() as u64;
        let s: rust_decimal::Decimal = out.orders.iter().map(|o| o.quantity).sum();
        let p: rust_decimal::Decimal = out.pegs.iter().map(|o| o.quantity).sum();
        let poh: rust_decimal::Decimal = out
            .records
            .iter()
            .flat_map(|r| r.projected_on_hand.iter())
            .sum();
        let hs = out
            .demand_hashes
            .iter()
            .fold(0u64, |a, h| a.wrapping_add(*h));
        if times.len() == 1 {
            println!("sum orders {s} pegs {p} poh {poh} hashsum {hs:x}");
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "n={n} digest={digest} median={:.1} ms min={:.1}",
        times[2], times[0]
    );
}
