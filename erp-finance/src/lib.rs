//! Finance: the exact double-entry ledger every module posts into. Accounts, fiscal periods,
//! journals with gapless numbering, journal entries (draft, posted, reversed), the balance
//! caches kept in the posting transaction, and the statements that read them; taxes,
//! payment terms, invoices and bills, payments and the allocations that settle them.
//!
//! Every business object has the same folder: `model.rs` rows, `repo.rs` the only place that
//! builds queries, `service.rs` rules and transactions, `dto.rs` wire types, `http.rs` routes.

pub mod account;
pub mod aging;
pub mod allocation;
pub mod bank;
pub mod budget;
pub mod currency;
pub mod entry;
pub mod error;
pub mod forecast;
pub mod ids;
pub mod invoice;
pub mod journal;
pub mod opening;
pub mod payment;
pub mod period;
pub mod proposal;
pub mod rate;
pub mod report;
pub mod revaluation;
pub mod rule;
pub mod settings;
pub mod setup;
pub mod states;
pub mod tax;
pub mod tax_group;
pub mod tax_report;
pub mod terms;
pub mod year_end;

use erp_core::auth::Permission;

pub use error::FinanceError;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        code: "finance.setup",
        description: "Load the default chart of accounts, journals and fiscal year",
    },
    Permission {
        code: "finance.account.read",
        description: "See the chart of accounts and journals",
    },
    Permission {
        code: "finance.account.write",
        description: "Create and change accounts and journals",
    },
    Permission {
        code: "finance.period.manage",
        description: "Open fiscal years",
    },
    Permission {
        code: "finance.period.close",
        description: "Close fiscal periods",
    },
    Permission {
        code: "finance.period.reopen",
        description: "Reopen closed fiscal periods (audited)",
    },
    Permission {
        code: "finance.entry.read",
        description: "See journal entries and the general ledger",
    },
    Permission {
        code: "finance.entry.write",
        description: "Create and delete draft journal entries",
    },
    Permission {
        code: "finance.entry.post",
        description: "Post and reverse journal entries",
    },
    Permission {
        code: "finance.report.read",
        description: "Read financial statements and budgets",
    },
    Permission {
        code: "finance.budget.write",
        description: "Draft budgets",
    },
    Permission {
        code: "finance.budget.approve",
        description: "Approve budgets",
    },
    Permission {
        code: "finance.invoice.read",
        description: "See customer invoices, supplier bills and their notes",
    },
    Permission {
        code: "finance.invoice.write",
        description: "Draft and delete invoices, bills and notes",
    },
    Permission {
        code: "finance.invoice.post",
        description: "Post and cancel invoices, bills and notes",
    },
    Permission {
        code: "finance.invoice.approve",
        description: "Release held bills (price or quantity outside the purchase order's match)",
    },
    Permission {
        code: "finance.currency.write",
        description: "Set and import exchange rates",
    },
    Permission {
        code: "finance.bank.read",
        description: "See bank statements, match proposals and unreconciled items",
    },
    Permission {
        code: "finance.bank.write",
        description: "Import bank statements and reconcile their lines",
    },
    Permission {
        code: "finance.payment.read",
        description: "See payments and their allocations",
    },
    Permission {
        code: "finance.payment.write",
        description: "Record payments and allocate them to invoices and bills",
    },
];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    setup::http::configure(cfg);
    account::http::configure(cfg);
    period::http::configure(cfg);
    journal::http::configure(cfg);
    entry::http::configure(cfg);
    opening::http::configure(cfg);
    report::http::configure(cfg);
    rule::http::configure(cfg);
    budget::http::configure(cfg);
    settings::http::configure(cfg);
    tax::http::configure(cfg);
    tax_group::http::configure(cfg);
    tax_report::http::configure(cfg);
    terms::http::configure(cfg);
    invoice::http::configure(cfg);
    payment::http::configure(cfg);
    aging::http::configure(cfg);
    proposal::http::configure(cfg);
    bank::http::configure(cfg);
    rate::http::configure(cfg);
    revaluation::http::configure(cfg);
    year_end::http::configure(cfg);
}
