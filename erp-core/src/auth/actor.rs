//! The authenticated caller of a request, and the one place permissions are checked.

use std::collections::BTreeSet;

use super::PermissionSet;
use crate::error::AppError;
use crate::ids::{ApiKeyId, BranchId, CompanyId, UserId};

/// Branches whose data an actor may see. Data of other branches does not exist for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchScope {
    All,
    Only(BTreeSet<BranchId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    AccessToken,
    ApiKey(ApiKeyId),
}

/// Who is acting: a user, through a token or one of their API keys.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub company_id: CompanyId,
    pub username: String,
    pub permissions: PermissionSet,
    pub branches: BranchScope,
    pub method: AuthMethod,
    pub request_id: Option<String>,
}

impl Actor {
    /// Someone with no rights at all, named in the audit trail: a failed login, a customer's
    /// portal account.
    pub fn without_rights(
        user_id: UserId,
        company_id: CompanyId,
        username: String,
        request_id: Option<String>,
    ) -> Actor {
        Actor {
            user_id,
            company_id,
            username,
            permissions: Default::default(),
            branches: BranchScope::Only(Default::default()),
            method: AuthMethod::AccessToken,
            request_id,
        }
    }

    pub fn can(&self, permission: &str) -> bool {
        self.permissions.allows(permission)
    }

    /// The permission check every service makes before it acts.
    pub fn require(&self, permission: &str) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden(permission.to_string()))
        }
    }

    /// The branches a list is limited to, or `None` for a user who sees every branch.
    pub fn visible_branches(&self) -> Option<Vec<BranchId>> {
        match &self.branches {
            BranchScope::All => None,
            BranchScope::Only(set) => Some(set.iter().copied().collect()),
        }
    }

    /// Does the actor see a record booked to `branch`? A record of no branch is for those who
    /// see every branch.
    pub fn sees_record_in(&self, branch: Option<BranchId>) -> bool {
        match branch {
            Some(b) => self.sees_branch(&b),
            None => self.sees_all_branches(),
        }
    }

    /// Does the actor work in every branch of the company (and so see records of none)?
    pub fn sees_all_branches(&self) -> bool {
        self.branches == BranchScope::All
    }

    pub fn sees_branch(&self, branch: &BranchId) -> bool {
        match &self.branches {
            BranchScope::All => true,
            BranchScope::Only(set) => set.contains(branch),
        }
    }
}

/// What every API key starts with: `erpk_<prefix>_<secret>`.
pub const API_KEY_PREFIX: &str = "erpk_";

/// `erpk_<prefix>_<secret>` into its prefix and secret.
pub fn split_api_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix(API_KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    (!prefix.is_empty() && !secret.is_empty()).then_some((prefix, secret))
}
