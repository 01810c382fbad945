//! What every request handler can reach: the database, token settings, the permission
//! catalog. Built once by the gateway and passed by value; never a global.

use crate::auth::{ActorCache, AuthSettings, PermissionCatalog};
use crate::db::Db;

pub struct Ctx {
    pub db: Db,
    pub auth: AuthSettings,
    pub permissions: PermissionCatalog,
    /// Actors of recent requests, good while the database's auth generation stands.
    pub actors: ActorCache,
}

/// The id of the request being served; set by the gateway's request-id middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);
