//! The server's background work, all in one place and one shape: a job is a function of a
//! connection, run on the blocking pool every `period`; a failure is logged and the job
//! runs again at its next turn. (An MRP run is not here: it is started by its request and
//! runs once, `erp-mrp/src/run/http.rs`.)

use std::time::Duration;

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::Ctx;

/// A job's name (for the log), how often it runs, and what it does; it answers how many
/// things it did, logged when not zero: at `info` when `announce` (a rare event operators
/// want to see), else at `debug` (a job that is busy all day).
struct Job {
    name: &'static str,
    period: Duration,
    announce: bool,
    run: fn(&mut DbConnection) -> Result<usize, AppError>,
}

const JOBS: &[Job] = &[
    // Outbound webhooks: deliveries posted a few times a second, retried with backoff.
    Job {
        name: "webhook deliveries",
        period: Duration::from_millis(250),
        announce: false,
        run: erp_crm::webhook::service::dispatch_due,
    },
    // Tasks that fell due are announced (`task.due`) as soon as they do.
    Job {
        name: "task reminders",
        period: Duration::from_millis(250),
        announce: false,
        run: erp_crm::task::service::announce_due,
    },
    // Transfers scheduled ahead: employees move when the day comes.
    Job {
        name: "scheduled transfers",
        period: Duration::from_secs(60),
        announce: true,
        run: |c| erp_hr::employee::service::apply_due_transfers(c, chrono::Utc::now().date_naive()),
    },
    // What changed since the last planning run, folded into one row per company.
    Job {
        name: "MRP input changes compacted",
        period: Duration::from_secs(600),
        announce: false,
        run: erp_mrp::run::service::compact_input_changes,
    },
];

/// Starts every job on the current runtime.
pub fn start(ctx: &actix_web::web::Data<Ctx>) {
    for job in JOBS {
        let ctx = ctx.clone();
        actix_web::rt::spawn(async move {
            loop {
                match ctx.db.run(job.run).await {
                    Ok(0) => {}
                    Ok(n) if job.announce => {
                        tracing::info!(job = job.name, done = n, "background job")
                    }
                    Ok(n) => tracing::debug!(job = job.name, done = n, "background job"),
                    Err(e) => tracing::warn!(job = job.name, error = %e, "background job failed"),
                }
                actix_web::rt::time::sleep(job.period).await;
            }
        });
    }
}
