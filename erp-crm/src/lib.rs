//! CRM: the customer card on a business partner with its contact people and history,
//! interactions with their minimum record, the sales pipeline (stages, deals, stage history)
//! and tasks, with access enforced in the services (`access`).

pub mod access;
pub mod automation;
pub mod customer;
pub mod deal;
pub mod document;
pub mod error;
pub mod forecast;
pub mod ids;
pub mod inbound;
pub mod interaction;
pub mod model;
pub mod notify;
pub mod order;
pub mod portal;
pub mod quote;
pub mod report;
pub mod segment;
pub mod stage;
pub mod states;
pub mod target;
pub mod task;
pub mod team;
pub mod ticket;
pub mod timeline;
pub mod webhook;

use erp_core::auth::Permission;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        code: "crm.customer.read",
        description: "See one's own customers, their history, deals and tasks",
    },
    Permission {
        code: "crm.customer.write",
        description:
            "Create customer cards and work on one's own customers: card, contacts, interactions",
    },
    Permission {
        code: "crm.all",
        description: "Reach every manager's customers, deals and tasks (team lead, head of sales)",
    },
    Permission {
        code: "crm.personal_data.read",
        description: "See customers' phones, e-mails and addresses",
    },
    Permission {
        code: "crm.personal_data.write",
        description: "Change any customer's names, phones, e-mails and addresses (not deals)",
    },
    Permission {
        code: "crm.deal.write",
        description: "Create deals and move, win or lose them",
    },
    Permission {
        code: "crm.task.write",
        description: "Create, complete and cancel tasks",
    },
    Permission {
        code: "crm.configure",
        description: "Configure the pipeline, call outcomes, automation rules and lead assignment",
    },
    Permission {
        code: "crm.order.write",
        description: "Create, confirm, deliver and cancel sales orders of one's customers",
    },
    Permission {
        code: "crm.inbound",
        description: "Report calls and send web-form leads (for the telephony system's and web site's API keys)",
    },
];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    customer::http::configure(cfg);
    timeline::http::configure(cfg);
    interaction::http::configure(cfg);
    stage::http::configure(cfg);
    deal::http::configure(cfg);
    task::http::configure(cfg);
    automation::http::configure(cfg);
    inbound::http::configure(cfg);
    report::http::configure(cfg);
    webhook::http::configure(cfg);
    order::http::configure(cfg);
    target::http::configure(cfg);
    ticket::http::configure(cfg);
    segment::http::configure(cfg);
    quote::http::configure(cfg);
    team::http::configure(cfg);
    document::http::configure(cfg);
    portal::http::configure(cfg);
    notify::http::configure(cfg);
}
