//! Roles: named sets of permission grants.

use super::dto::*;
use super::model::Role;
use super::repo;
use crate::audit::{self, Change};
use crate::auth::{Actor, BranchScope, PermissionCatalog};
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::iam::rights::{self, Reach};
use crate::ids::RoleId;
use crate::pagination::ListParams;

const ENTITY: &str = "role";

fn to_response(conn: &mut DbConnection, role: &Role) -> Result<RoleResponse, AppError> {
    Ok(RoleResponse {
        id: role.id,
        name: role.name.clone(),
        description: role.description.clone(),
        permissions: repo::permissions_of(conn, role.id)?,
        builtin: role.builtin,
        version: role.version,
        created_at: role.created_at.and_utc(),
        updated_at: role.updated_at.and_utc(),
    })
}

fn check_grants(v: &mut Validator, catalog: &PermissionCatalog, grants: &[String]) -> Vec<String> {
    for (i, g) in grants.iter().enumerate() {
        if !catalog.is_valid_grant(g.trim()) {
            v.add(
                format!("permissions[{i}]"),
                format!("'{g}' is not a known permission or pattern"),
            );
        }
    }
    let mut out: Vec<String> = grants.iter().map(|g| g.trim().to_string()).collect();
    out.sort();
    out.dedup();
    out
}

/// What a role's grants allow, wherever its holder may act.
fn grants_reach(grants: &[String], catalog: &PermissionCatalog) -> Reach {
    Reach::of_grants(grants.to_vec(), BranchScope::All, catalog)
}

fn builtin(role: &Role, what: &str) -> AppError {
    AppError::conflict(
        "builtin_role",
        format!("the built-in role '{}' cannot {what}", role.name),
    )
}

fn load(conn: &mut DbConnection, actor: &Actor, id: RoleId) -> Result<Role, AppError> {
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

pub fn create_role(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    req: CreateRoleRequest,
) -> Result<RoleResponse, AppError> {
    actor.require("iam.role.write")?;
    let mut v = Validator::new();
    v.text("name", &req.name, 100);
    v.opt_text("description", req.description.as_deref(), 1000);
    let grants = check_grants(&mut v, catalog, &req.permissions);
    v.finish()?;
    rights::check_grant(actor, catalog, &grants_reach(&grants, catalog))?;
    let at = now();
    let role = Role {
        id: req.id.unwrap_or_default(),
        company_id: actor.company_id,
        name: req.name.trim().to_string(),
        description: req.description,
        version: 1,
        created_at: at,
        updated_at: at,
        builtin: false,
    };
    write_tx(conn, |conn| {
        if repo::name_taken(conn, role.company_id, &role.name, role.id)? {
            return Err(AppError::conflict(
                "duplicate_name",
                format!("a role named '{}' exists", role.name),
            ));
        }
        repo::insert(conn, &role)?;
        repo::set_permissions(conn, role.id, &grants)?;
        let out = to_response(conn, &role)?;
        audit::record(conn, actor, ENTITY, role.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_role(
    conn: &mut DbConnection,
    actor: &Actor,
    id: RoleId,
) -> Result<RoleResponse, AppError> {
    actor.require("iam.role.read")?;
    let role = load(conn, actor, id)?;
    to_response(conn, &role)
}

pub fn list_roles(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<RolePage, AppError> {
    actor.require("iam.role.read")?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let items = rows
        .iter()
        .map(|r| to_response(conn, r))
        .collect::<Result<_, _>>()?;
    Ok(RolePage { items, next_cursor })
}

pub fn update_role(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: RoleId,
    expected_version: i64,
    req: UpdateRoleRequest,
) -> Result<RoleResponse, AppError> {
    actor.require("iam.role.write")?;
    let mut v = Validator::new();
    if let Some(name) = &req.name {
        v.text("name", name, 100);
    }
    v.opt_text("description", req.description.as_deref(), 1000);
    let grants = req
        .permissions
        .as_ref()
        .map(|g| check_grants(&mut v, catalog, g));
    v.finish()?;
    write_tx(conn, |conn| {
        let mut role = load(conn, actor, id)?;
        if role.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: role.version,
            });
        }
        let before = to_response(conn, &role)?;
        let administrators = rights::administrators(conn, catalog, role.company_id)?;
        if let Some(grants) = &grants {
            if role.builtin && *grants != before.permissions {
                return Err(builtin(&role, "lose or gain permissions"));
            }
            // Neither what the role held nor what it is to hold may reach beyond the editor.
            rights::check_grant(actor, catalog, &grants_reach(&before.permissions, catalog))?;
            rights::check_grant(actor, catalog, &grants_reach(grants, catalog))?;
        }
        if let Some(name) = &req.name {
            role.name = name.trim().to_string();
            if repo::name_taken(conn, role.company_id, &role.name, role.id)? {
                return Err(AppError::conflict(
                    "duplicate_name",
                    format!("a role named '{}' exists", role.name),
                ));
            }
        }
        if let Some(d) = &req.description {
            role.description = Some(d.clone()).filter(|d| !d.is_empty());
        }
        role.version += 1;
        role.updated_at = now();
        if !repo::update_versioned(conn, &role, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: role.version,
            });
        }
        if let Some(grants) = &grants {
            repo::set_permissions(conn, role.id, grants)?;
            rights::keep_an_administrator(conn, catalog, role.company_id, administrators)?;
        }
        let after = to_response(conn, &role)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            role.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Deletes a role; its users lose the role's grants. Built-in roles cannot be deleted.
pub fn delete_role(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: RoleId,
    expected_version: Option<i64>,
) -> Result<(), AppError> {
    actor.require("iam.role.write")?;
    write_tx(conn, |conn| {
        let role = load(conn, actor, id)?;
        if let Some(expected) = expected_version {
            if expected != role.version {
                return Err(AppError::VersionMismatch {
                    current: role.version,
                });
            }
        }
        if role.builtin {
            return Err(builtin(&role, "be deleted"));
        }
        let before = to_response(conn, &role)?;
        rights::check_grant(actor, catalog, &grants_reach(&before.permissions, catalog))?;
        let administrators = rights::administrators(conn, catalog, role.company_id)?;
        repo::delete(conn, role.id)?;
        rights::keep_an_administrator(conn, catalog, role.company_id, administrators)?;
        audit::record(conn, actor, ENTITY, role.id, Change::Deleted(&before))?;
        Ok(())
    })
}
