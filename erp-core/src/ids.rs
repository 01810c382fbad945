//! Typed ids: the compiler stops a user id going where a branch id belongs.
//! In the database they are UUID strings; on the wire, UUID strings.

#[macro_export]
macro_rules! entity_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7())
            }

            /// Parses an id read from the database; a malformed one is corrupt data.
            pub fn from_db(s: &str) -> Result<Self, $crate::error::AppError> {
                uuid::Uuid::parse_str(s).map($name).map_err(|_| {
                    $crate::error::AppError::Internal(format!(
                        "malformed {} in the database: {s}",
                        stringify!($name)
                    ))
                })
            }

            pub fn to_db(self) -> String {
                self.0.to_string()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

entity_id!(CompanyId);
entity_id!(BranchId);
entity_id!(PartnerId);
entity_id!(UserId);
entity_id!(RoleId);
entity_id!(ApiKeyId);
entity_id!(AuditEventId);
