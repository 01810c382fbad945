//! Nobody hands out more than they hold. The rules every change of users, roles and API keys
//! obeys, whoever makes it and through whichever route:
//!
//! - a right (permission) or branch is granted only by someone who holds it;
//! - a user is changed, disabled, unlocked or given a new password only by someone who holds
//!   every right and branch that user holds (their *reach* covers the target's);
//! - nobody changes their own roles or branches;
//! - no change leaves a company that had one without an active administrator: a user with
//!   every right of the catalog and all branches.

use crate::ids::{CompanyId, RoleId, UserId};
use std::collections::{BTreeMap, BTreeSet};

use crate::auth::{Actor, BranchScope, PermissionCatalog, PermissionSet};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::iam::{role, user};
use crate::ids::BranchId;

/// What someone may do and where: the catalog permissions their grants allow, and branches.
#[derive(Debug, Clone)]
pub struct Reach {
    permissions: BTreeSet<String>,
    branches: BranchScope,
}

impl Reach {
    pub fn of_actor(actor: &Actor, catalog: &PermissionCatalog) -> Reach {
        Reach {
            permissions: actor.permissions.effective(catalog).into_iter().collect(),
            branches: actor.branches.clone(),
        }
    }

    /// What `grants` allow, with the given branches.
    pub fn of_grants(
        grants: Vec<String>,
        branches: BranchScope,
        catalog: &PermissionCatalog,
    ) -> Reach {
        Reach {
            permissions: PermissionSet::new(grants)
                .effective(catalog)
                .into_iter()
                .collect(),
            branches,
        }
    }

    /// A stored user's reach, from their roles and branches.
    pub fn of_user(
        conn: &mut DbConnection,
        catalog: &PermissionCatalog,
        target: &user::model::User,
    ) -> Result<Reach, AppError> {
        let branches = if target.all_branches {
            BranchScope::All
        } else {
            BranchScope::Only(
                user::repo::branch_ids_of(conn, target.id)?
                    .into_iter()
                    .collect(),
            )
        };
        Ok(Reach::of_grants(
            user::repo::grants_of(conn, target.id)?,
            branches,
            catalog,
        ))
    }

    /// The first thing `other` holds that `self` does not, in words; `None` when `self` covers
    /// all of `other`.
    pub fn lacks(&self, other: &Reach) -> Option<String> {
        if let Some(p) = other.permissions.difference(&self.permissions).next() {
            return Some(format!("the permission {p}"));
        }
        match (&self.branches, &other.branches) {
            (BranchScope::All, _) => None,
            (BranchScope::Only(_), BranchScope::All) => Some("all branches".into()),
            (BranchScope::Only(mine), BranchScope::Only(theirs)) => theirs
                .difference(mine)
                .next()
                .map(|b| format!("the branch {b}")),
        }
    }

    /// Every right of the catalog and every branch.
    pub fn is_full(&self, catalog: &PermissionCatalog) -> bool {
        self.branches == BranchScope::All && self.permissions.len() == catalog.entries().len()
    }
}

fn denied(code: &'static str, detail: String) -> AppError {
    AppError::Denied { code, detail }
}

/// Refuses to grant roles, branches or API key scopes that reach beyond the actor's own.
pub fn check_grant(
    actor: &Actor,
    catalog: &PermissionCatalog,
    granted: &Reach,
) -> Result<(), AppError> {
    match Reach::of_actor(actor, catalog).lacks(granted) {
        None => Ok(()),
        Some(what) => Err(denied(
            "exceeds_own_rights",
            format!("you cannot grant {what}: you do not hold it yourself"),
        )),
    }
}

/// The reach that roles (by stored id) and branches would give.
pub fn reach_of_assignment(
    conn: &mut DbConnection,
    catalog: &PermissionCatalog,
    role_ids: &[RoleId],
    all_branches: bool,
    branch_ids: &[BranchId],
) -> Result<Reach, AppError> {
    let branches = if all_branches {
        BranchScope::All
    } else {
        BranchScope::Only(branch_ids.iter().copied().collect())
    };
    Ok(Reach::of_grants(
        role::repo::grants_of_roles(conn, role_ids)?,
        branches,
        catalog,
    ))
}

/// Refuses to act on a user (change, disable, reset the password, unlock, make or revoke
/// their API keys) who holds a right or a branch the actor does not.
pub fn check_target(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    target: &user::model::User,
) -> Result<(), AppError> {
    if target.id == actor.user_id {
        return Ok(());
    }
    let theirs = Reach::of_user(conn, catalog, target)?;
    match Reach::of_actor(actor, catalog).lacks(&theirs) {
        None => Ok(()),
        Some(what) => Err(denied(
            "target_exceeds_own_rights",
            format!(
                "the user '{}' holds {what}, which you do not; only someone who holds all \
                 their rights and branches may change them",
                target.username
            ),
        )),
    }
}

/// How many active administrators (every right, all branches) the company has.
pub fn administrators(
    conn: &mut DbConnection,
    catalog: &PermissionCatalog,
    company_id: CompanyId,
) -> Result<usize, AppError> {
    let mut grants: BTreeMap<UserId, Vec<String>> = BTreeMap::new();
    for (user_id, grant) in user::repo::grants_of_all_branch_users(conn, company_id)? {
        grants.entry(user_id).or_default().push(grant);
    }
    Ok(grants
        .into_values()
        .filter(|g| Reach::of_grants(g.clone(), BranchScope::All, catalog).is_full(catalog))
        .count())
}

/// Refuses a change that took the company's last administrator away; `before` is
/// [`administrators`] counted in the same transaction before the change.
pub fn keep_an_administrator(
    conn: &mut DbConnection,
    catalog: &PermissionCatalog,
    company_id: CompanyId,
    before: usize,
) -> Result<(), AppError> {
    if before > 0 && administrators(conn, catalog, company_id)? == 0 {
        return Err(AppError::conflict(
            "last_administrator",
            "the change would leave the company without an active user holding every \
             permission and all branches; make another administrator first",
        ));
    }
    Ok(())
}
