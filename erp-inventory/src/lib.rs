//! Inventory: units, items, warehouses and locations, the append-only stock ledger,
//! reservations and valuation.

pub mod availability;
pub mod count;
pub mod csv_io;
pub mod error;
pub mod ids;
pub mod item;
pub mod purchase;
pub mod reservation;
pub mod stock;
pub mod transfer;
pub mod uom;
pub mod valuation;
pub mod warehouse;

use erp_core::auth::Permission;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        code: "inventory.item.read",
        description: "See items, units and categories",
    },
    Permission {
        code: "inventory.item.write",
        description: "Create and change items, units and categories",
    },
    Permission {
        code: "inventory.warehouse.read",
        description: "See warehouses and locations",
    },
    Permission {
        code: "inventory.warehouse.write",
        description: "Create and change warehouses and locations",
    },
    Permission {
        code: "inventory.stock.read",
        description: "See stock, moves and stock cards",
    },
    Permission {
        code: "inventory.stock.post",
        description: "Post stock moves and reversals",
    },
    Permission {
        code: "inventory.stock.reserve",
        description: "Reserve and release stock",
    },
    Permission {
        code: "inventory.valuation.read",
        description: "See the value of stock",
    },
    Permission {
        code: "inventory.purchase.read",
        description: "See purchase orders, supplier prices and replenishment",
    },
    Permission {
        code: "inventory.purchase.write",
        description: "Create, change, confirm, cancel and close purchase orders",
    },
    Permission {
        code: "inventory.purchase.receive",
        description: "Receive goods against purchase orders",
    },
    Permission {
        code: "inventory.transfer.write",
        description: "Create, ship, close and cancel transfers",
    },
    Permission {
        code: "inventory.transfer.receive",
        description: "Receive transfers at the destination",
    },
    Permission {
        code: "inventory.count.write",
        description: "Start, enter and cancel stock counts",
    },
    Permission {
        code: "inventory.count.approve",
        description: "Approve counts: post their differences",
    },
];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    uom::http::configure(cfg);
    item::http::configure(cfg);
    warehouse::http::configure(cfg);
    stock::http::configure(cfg);
    reservation::http::configure(cfg);
    purchase::http::configure(cfg);
    availability::http::configure(cfg);
    transfer::http::configure(cfg);
    count::http::configure(cfg);
    csv_io::http::configure(cfg);
}
