//! Users: create, change, disable, passwords, and what they may do.

use super::dto::*;
use super::model::User;
use super::repo::{self, UserFilter};
use crate::audit::{self, Change};
use crate::auth::{password, Actor, PermissionCatalog, PermissionSet};
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::iam::session;
use crate::iam::{rights, role};
use crate::ids::{distinct, BranchId, CompanyId, RoleId, UserId};
use crate::org::branch;
use crate::pagination::ListParams;

const ENTITY: &str = "user";

/// User names are compared lower-case.
pub fn normalize_username(name: &str) -> String {
    name.trim().to_lowercase()
}

fn check_username(v: &mut Validator, username: &str) {
    let ok = (3..=64).contains(&username.chars().count())
        && username.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@')
        });
    v.check(
        ok,
        "username",
        "must be 3 to 64 characters of a-z, 0-9, '.', '_', '-' or '@'",
    );
}

pub fn check_email(v: &mut Validator, field: &str, email: &str) {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    v.check(ok, field, "is not an e-mail address");
}

/// The user as the API shows it.
pub fn to_response(conn: &mut DbConnection, user: &User) -> Result<UserResponse, AppError> {
    let role_ids = repo::role_ids_of(conn, user.id)?;
    let branch_ids = repo::branch_ids_of(conn, user.id)?;
    Ok(UserResponse {
        id: user.id,
        company_id: user.company_id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        active: user.active,
        all_branches: user.all_branches,
        branch_ids,
        role_ids,
        last_login_at: user.last_login_at.map(|t| t.and_utc()),
        version: user.version,
        created_at: user.created_at.and_utc(),
        updated_at: user.updated_at.and_utc(),
    })
}

/// Loads a user of the actor's company; another company's user does not exist for them.
pub fn load_visible(conn: &mut DbConnection, actor: &Actor, id: UserId) -> Result<User, AppError> {
    repo::find(conn, id)?
        .filter(|u| u.company_id == actor.company_id || actor.can("org.company.create"))
        .ok_or(AppError::NotFound(ENTITY))
}

/// Checks that roles and branches exist in `company_id`.
fn check_assignments(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    role_ids: &[RoleId],
    branch_ids: &[BranchId],
) -> Result<(), AppError> {
    for (i, r) in role_ids.iter().enumerate() {
        if !role::repo::exists_in_company(conn, *r, company_id)? {
            v.add(format!("role_ids[{i}]"), "no such role in the company");
        }
    }
    for (i, b) in branch_ids.iter().enumerate() {
        if !branch::repo::exists_in_company(conn, *b, company_id)? {
            v.add(format!("branch_ids[{i}]"), "no such branch in the company");
        }
    }
    Ok(())
}

pub fn create_user(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    req: CreateUserRequest,
) -> Result<UserResponse, AppError> {
    actor.require("iam.user.write")?;
    let company_id = match req.company_id {
        Some(c) if c != actor.company_id => {
            actor.require("org.company.create")?;
            c
        }
        _ => actor.company_id,
    };
    let username = normalize_username(&req.username);
    let mut v = Validator::new();
    check_username(&mut v, &username);
    v.text("display_name", &req.display_name, 200);
    if let Some(email) = &req.email {
        check_email(&mut v, "email", email.trim());
    }
    password::check_policy(&mut v, "password", &req.password);
    if crate::org::company::repo::find(conn, company_id)?.is_none() {
        v.add("company_id", "no such company");
    } else {
        check_assignments(conn, &mut v, company_id, &req.role_ids, &req.branch_ids)?;
    }
    v.finish()?;
    let role_ids = distinct(req.role_ids.iter().copied());
    let branch_ids = distinct(req.branch_ids.iter().copied());
    rights::check_grant(
        actor,
        catalog,
        &rights::reach_of_assignment(conn, catalog, &role_ids, req.all_branches, &branch_ids)?,
    )?;
    // Hash before the write transaction: argon2 takes tens of milliseconds.
    let password_hash = password::hash(&req.password)?;
    let at = now();
    let user = User {
        id: req.id.unwrap_or_default(),
        company_id,
        username,
        display_name: req.display_name.trim().to_string(),
        email: req
            .email
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty()),
        password_hash,
        active: true,
        all_branches: req.all_branches,
        password_changed_at: at,
        last_login_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    write_tx(conn, |conn| {
        if repo::find_by_username(conn, &user.username)?.is_some() {
            return Err(AppError::conflict(
                "duplicate_username",
                format!("the user name '{}' is taken", user.username),
            ));
        }
        if repo::find(conn, user.id)?.is_some() {
            return Err(AppError::conflict(
                "duplicate_id",
                "a user with this id exists",
            ));
        }
        repo::insert(conn, &user)?;
        repo::set_roles(conn, user.id, &role_ids)?;
        repo::set_branches(conn, user.id, &branch_ids)?;
        let out = to_response(conn, &user)?;
        audit::record(conn, actor, ENTITY, user.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_user(
    conn: &mut DbConnection,
    actor: &Actor,
    id: UserId,
) -> Result<UserResponse, AppError> {
    if actor.user_id != id {
        actor.require("iam.user.read")?;
    }
    let user = load_visible(conn, actor, id)?;
    to_response(conn, &user)
}

pub fn list_users(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    query: UserListQuery,
) -> Result<UserPage, AppError> {
    actor.require("iam.user.read")?;
    let page = params.validate()?;
    let filter = UserFilter {
        q: query.q.filter(|q| !q.trim().is_empty()),
        active: query.active,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |u| u.id);
    let items = rows
        .iter()
        .map(|u| to_response(conn, u))
        .collect::<Result<_, _>>()?;
    Ok(UserPage { items, next_cursor })
}

/// Applies `change` to the user under optimistic locking and records the audit event. The
/// actor must reach everything the user holds, and the company keeps an administrator.
fn change_user(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
    expected_version: Option<i64>,
    action: Option<&'static str>,
    change: impl FnOnce(&mut DbConnection, &mut User) -> Result<(), AppError>,
) -> Result<UserResponse, AppError> {
    write_tx(conn, |conn| {
        let mut user = load_visible(conn, actor, id)?;
        rights::check_target(conn, actor, catalog, &user)?;
        let administrators = rights::administrators(conn, catalog, user.company_id)?;
        let stored_version = user.version;
        if let Some(expected) = expected_version {
            if expected != stored_version {
                return Err(AppError::VersionMismatch {
                    current: stored_version,
                });
            }
        }
        let before = to_response(conn, &user)?;
        change(conn, &mut user)?;
        user.version = stored_version + 1;
        user.updated_at = now();
        if !repo::update_versioned(conn, &user, stored_version)? {
            return Err(AppError::VersionMismatch {
                current: stored_version + 1,
            });
        }
        rights::keep_an_administrator(conn, catalog, user.company_id, administrators)?;
        let after = to_response(conn, &user)?;
        let change = match action {
            None => Change::Updated {
                before: &before,
                after: &after,
            },
            Some(name) => Change::Action(name, Some(&after)),
        };
        audit::record(conn, actor, ENTITY, user.id, change)?;
        Ok(after)
    })
}

pub fn update_user(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
    expected_version: i64,
    req: UpdateUserRequest,
) -> Result<UserResponse, AppError> {
    actor.require("iam.user.write")?;
    let mut v = Validator::new();
    if let Some(name) = &req.display_name {
        v.text("display_name", name, 200);
    }
    if let Some(email) = req
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        check_email(&mut v, "email", email);
    }
    v.finish()?;
    change_user(
        conn,
        actor,
        catalog,
        id,
        Some(expected_version),
        None,
        |conn, user| {
            let mut v = Validator::new();
            check_assignments(
                conn,
                &mut v,
                user.company_id,
                req.role_ids.as_deref().unwrap_or_default(),
                req.branch_ids.as_deref().unwrap_or_default(),
            )?;
            v.finish()?;
            let (current_roles, current_branches) = (
                repo::role_ids_of(conn, user.id)?,
                repo::branch_ids_of(conn, user.id)?,
            );
            let role_ids = match &req.role_ids {
                Some(r) => distinct(r.iter().copied()),
                None => current_roles.clone(),
            };
            let branch_ids = match &req.branch_ids {
                Some(b) => distinct(b.iter().copied()),
                None => current_branches.clone(),
            };
            let all_branches = req.all_branches.unwrap_or(user.all_branches);
            let rights_change = role_ids != current_roles
                || branch_ids != current_branches
                || all_branches != user.all_branches;
            if rights_change {
                if user.id == actor.user_id {
                    return Err(AppError::Denied {
                        code: "cannot_change_own_rights",
                        detail: "you cannot change your own roles or branches; \
                                 another administrator must"
                            .into(),
                    });
                }
                rights::check_grant(
                    actor,
                    catalog,
                    &rights::reach_of_assignment(
                        conn,
                        catalog,
                        &role_ids,
                        all_branches,
                        &branch_ids,
                    )?,
                )?;
            }
            if let Some(name) = &req.display_name {
                user.display_name = name.trim().to_string();
            }
            if let Some(email) = &req.email {
                user.email = Some(email.trim().to_string()).filter(|e| !e.is_empty());
            }
            user.all_branches = all_branches;
            if req.role_ids.is_some() {
                repo::set_roles(conn, user.id, &role_ids)?;
            }
            if req.branch_ids.is_some() {
                repo::set_branches(conn, user.id, &branch_ids)?;
            }
            Ok(())
        },
    )
}

/// Disables or enables a user. Disabling ends their sessions at once.
pub fn set_user_active(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
    active: bool,
) -> Result<UserResponse, AppError> {
    actor.require("iam.user.write")?;
    if !active && id == actor.user_id {
        return Err(AppError::conflict(
            "cannot_disable_self",
            "you cannot disable your own account",
        ));
    }
    let action = if active { "enable" } else { "disable" };
    change_user(
        conn,
        actor,
        catalog,
        id,
        None,
        Some(action),
        |conn, user| {
            user.active = active;
            if !active {
                session::repo::revoke_all_for_user(conn, user.id, now())?;
            }
            Ok(())
        },
    )
}

/// Lifts the locks failed logins put on a user, from every address.
pub fn unlock_user(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
) -> Result<UserResponse, AppError> {
    actor.require("iam.user.write")?;
    write_tx(conn, |conn| {
        let user = load_visible(conn, actor, id)?;
        rights::check_target(conn, actor, catalog, &user)?;
        session::throttle::unlock(conn, user.id)?;
        let out = to_response(conn, &user)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            user.id,
            Change::Action("unlock", Some(&out)),
        )?;
        Ok(out)
    })
}

/// An administrator sets a new password for a user.
pub fn reset_password(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
    new_password: &str,
) -> Result<UserResponse, AppError> {
    actor.require("iam.user.write")?;
    if id == actor.user_id {
        // A stolen token must not be enough to take the account from its owner.
        return Err(AppError::Denied {
            code: "own_password_needs_current",
            detail: "change your own password with POST /api/v1/auth/password, giving the \
                     current one"
                .into(),
        });
    }
    set_password(conn, actor, catalog, id, new_password)
}

/// Sets a new password and ends the user's sessions. The caller has checked the right to:
/// a permission, or the user's current password.
pub(crate) fn set_password(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
    new_password: &str,
) -> Result<UserResponse, AppError> {
    let mut v = Validator::new();
    password::check_policy(&mut v, "new_password", new_password);
    v.finish()?;
    let hash = password::hash(new_password)?;
    change_user(
        conn,
        actor,
        catalog,
        id,
        None,
        Some("password_change"),
        |conn, user| {
            user.password_hash = hash;
            user.password_changed_at = now();
            session::repo::revoke_all_for_user(conn, user.id, user.password_changed_at)?;
            Ok(())
        },
    )
}

pub fn user_permissions(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: UserId,
) -> Result<UserPermissionsResponse, AppError> {
    if actor.user_id != id {
        actor.require("iam.user.read")?;
    }
    let user = load_visible(conn, actor, id)?;
    let grants = repo::grants_of(conn, user.id)?;
    let set = PermissionSet::new(grants.clone());
    let mut grants = grants;
    grants.sort();
    Ok(UserPermissionsResponse {
        user_id: id,
        permissions: set.effective(catalog),
        grants,
        all_branches: user.all_branches,
        branch_ids: repo::branch_ids_of(conn, user.id)?,
    })
}
