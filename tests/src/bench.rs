//! What the benchmark binaries share: timing, percentiles, the report line, peak memory.

use std::time::{Duration, Instant};

/// The `p` quantile (0 to 1) of sorted samples, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Prints one line: count, p50, p95, p99 and throughput over the wall time.
pub fn report(name: &str, mut samples: Vec<Duration>, wall: Duration) {
    samples.sort();
    println!(
        "{name:<48} n={:<6} p50={:>7.2} ms  p95={:>7.2} ms  p99={:>7.2} ms  throughput={:>8.0}/s",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.95),
        percentile(&samples, 0.99),
        samples.len() as f64 / wall.as_secs_f64()
    );
}

/// Runs `f` `n` times; the time of each run and of all.
pub fn timed(n: usize, mut f: impl FnMut(usize)) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let samples = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    (samples, start.elapsed())
}

/// Runs `f(client, i)` for i in 0..`per_client` on each of `clients` threads at once; the
/// time of each call and of all.
pub fn concurrently(
    clients: usize,
    per_client: usize,
    f: impl Fn(usize, usize) + Sync,
) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let samples = std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || {
                    (0..per_client)
                        .map(|i| {
                            let t = Instant::now();
                            f(c, i);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    (samples, start.elapsed())
}

/// The process's peak resident memory (VmHWM) in MiB.
pub fn peak_rss_mib() -> f64 {
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

/// Which backend a benchmark's server runs on, for its report.
pub fn backend(app: &crate::TestApp) -> &'static str {
    if app.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}
