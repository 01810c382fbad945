//! Inventory: units, items, warehouses and locations, the append-only stock ledger,
//! reservations and valuation.

pub mod valuation;

use erp_core::auth::Permission;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
