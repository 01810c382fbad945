//! Authentication (passwords, JWT access tokens, refresh tokens, API keys) and
//! authorization (permissions granted through roles, branch scope), checked in services.

mod actor;
mod cache;
pub mod password;
mod permission;
pub mod secret;
mod token;

pub use actor::{split_api_key, Actor, AuthMethod, BranchScope, API_KEY_PREFIX};
pub use cache::ActorCache;
pub use permission::{Permission, PermissionCatalog, PermissionSet, PLATFORM_PERMISSIONS};
pub use token::{AccessClaims, AuthSettings, IssuedAccess};
