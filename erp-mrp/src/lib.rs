//! MRP and MRP II. So far: the planning engine (`engine`), pure and database-free; the bills
//! of materials, planning data, runs and their API come next.

pub mod engine;

use erp_core::auth::Permission;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
