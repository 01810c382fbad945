//! Permissions are `module.object.action` codes, granted through roles. A role may hold an
//! exact code, `*` (everything) or a prefix pattern such as `iam.*`.

use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;

/// One permission the system knows, for the catalog and for validating roles.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Permission {
    pub code: &'static str,
    pub description: &'static str,
}

/// The platform's own permissions; each domain crate declares its list beside its routes.
pub const PLATFORM_PERMISSIONS: &[Permission] = &[
    Permission {
        code: "org.company.read",
        description: "See the company and its settings",
    },
    Permission {
        code: "org.company.write",
        description: "Change the company's settings",
    },
    Permission {
        code: "org.company.create",
        description: "Create further companies (system administrators)",
    },
    Permission {
        code: "org.branch.read",
        description: "See branches",
    },
    Permission {
        code: "org.branch.write",
        description: "Create and change branches",
    },
    Permission {
        code: "partner.read",
        description: "See business partners",
    },
    Permission {
        code: "partner.write",
        description: "Create and change business partners",
    },
    Permission {
        code: "partner.delete",
        description: "Delete business partners",
    },
    Permission {
        code: "iam.user.read",
        description: "See users and what they may do",
    },
    Permission {
        code: "iam.user.write",
        description: "Create, change and disable users, reset passwords",
    },
    Permission {
        code: "iam.role.read",
        description: "See roles",
    },
    Permission {
        code: "iam.role.write",
        description: "Create, change and delete roles",
    },
    Permission {
        code: "iam.api_key.read",
        description: "See API keys of the company",
    },
    Permission {
        code: "iam.api_key.write",
        description: "Create and revoke API keys",
    },
    Permission {
        code: "audit.event.read",
        description: "Read the audit trail",
    },
    Permission {
        code: "system.metrics.read",
        description: "Scrape /metrics",
    },
];

/// Every permission of every module, assembled once at start-up.
#[derive(Debug, Clone, Default)]
pub struct PermissionCatalog {
    entries: Vec<Permission>,
}

impl PermissionCatalog {
    pub fn new(lists: &[&[Permission]]) -> PermissionCatalog {
        let mut entries: Vec<Permission> = lists.iter().flat_map(|l| l.iter().copied()).collect();
        entries.sort_by_key(|p| p.code);
        entries.dedup_by_key(|p| p.code);
        PermissionCatalog { entries }
    }

    pub fn entries(&self) -> &[Permission] {
        &self.entries
    }

    /// A grant is valid when it is `*`, a known code, or a `prefix.*` covering a known code.
    pub fn is_valid_grant(&self, grant: &str) -> bool {
        grant == "*" || self.entries.iter().any(|p| grant_covers(grant, p.code))
    }
}

/// Does `grant` (a code or pattern) allow `permission`?
fn grant_covers(grant: &str, permission: &str) -> bool {
    if grant == "*" || grant == permission {
        return true;
    }
    match grant.strip_suffix(".*") {
        Some(prefix) => permission
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.')),
        None => false,
    }
}

/// The grants an actor holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet {
    grants: BTreeSet<String>,
}

impl PermissionSet {
    pub fn new(grants: impl IntoIterator<Item = String>) -> PermissionSet {
        PermissionSet {
            grants: grants.into_iter().collect(),
        }
    }

    pub fn allows(&self, permission: &str) -> bool {
        self.grants.iter().any(|g| grant_covers(g, permission))
    }

    /// Keeps only what `scopes` also allows (an API key narrowed to some permissions).
    pub fn narrowed_to(
        &self,
        scopes: &PermissionSet,
        catalog: &PermissionCatalog,
    ) -> PermissionSet {
        PermissionSet::new(
            catalog
                .entries()
                .iter()
                .filter(|p| self.allows(p.code) && scopes.allows(p.code))
                .map(|p| p.code.to_string()),
        )
    }

    /// The catalog entries this set allows, for "what may this user do".
    pub fn effective(&self, catalog: &PermissionCatalog) -> Vec<String> {
        catalog
            .entries()
            .iter()
            .filter(|p| self.allows(p.code))
            .map(|p| p.code.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_cover_whole_segments_only() {
        assert!(grant_covers("*", "iam.user.read"));
        assert!(grant_covers("iam.*", "iam.user.read"));
        assert!(grant_covers("iam.user.*", "iam.user.read"));
        assert!(!grant_covers("iam.us*", "iam.user.read"));
        assert!(!grant_covers("ia.*", "iam.user.read"));
        assert!(!grant_covers("iam.user.read", "iam.user.write"));
    }

    #[test]
    fn catalog_rejects_unknown_grants() {
        let c = PermissionCatalog::new(&[PLATFORM_PERMISSIONS]);
        assert!(c.is_valid_grant("iam.*"));
        assert!(c.is_valid_grant("partner.read"));
        assert!(!c.is_valid_grant("partner.fly"));
        assert!(!c.is_valid_grant("nothing.*"));
    }
}
