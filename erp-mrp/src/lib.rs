//! MRP and MRP II: work centers, planning data, bills of materials and routings, demand, the
//! planning run (a pure engine in `engine`, persisted by `run`), capacity planning and
//! production orders.

pub mod bom;
pub mod capacity;
pub mod csv_io;
pub mod demand;
pub mod engine;
pub mod error;
pub mod ids;
pub mod model;
pub mod planning;
pub mod production;
pub mod run;
pub mod states;
pub mod util;
pub mod work_center;

use erp_core::auth::Permission;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        code: "mrp.master.read",
        description: "See work centers, BOMs, routings and planning data",
    },
    Permission {
        code: "mrp.master.write",
        description: "Change work centers, BOMs, routings and planning data",
    },
    Permission {
        code: "mrp.plan.read",
        description:
            "See demand, runs, MRP records, planned orders, action messages, capacity and reports",
    },
    Permission {
        code: "mrp.plan.write",
        description: "Record demand; firm and release planned orders",
    },
    Permission {
        code: "mrp.plan.run",
        description: "Start planning runs",
    },
    Permission {
        code: "mrp.production.read",
        description: "See production orders and their reports",
    },
    Permission {
        code: "mrp.production.write",
        description: "Release, issue to, report, receive, close and cancel production orders",
    },
];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    work_center::http::configure(cfg);
    bom::http::configure(cfg);
    planning::http::configure(cfg);
    demand::http::configure(cfg);
    run::http::configure(cfg);
    production::http::configure(cfg);
    capacity::http::configure(cfg);
    csv_io::http::configure(cfg);
}
