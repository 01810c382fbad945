use super::dto::*;
use super::model::{scopes_of, ApiKey};
use super::repo;
use crate::audit::{self, Change};
use crate::auth::secret::{constant_time_eq, random_hex, random_token, sha256_hex};
use crate::auth::{split_api_key, Actor, PermissionCatalog};
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::iam::{rights, user};
use crate::ids::ApiKeyId;
use crate::pagination::ListParams;

const ENTITY: &str = "api_key";

fn to_response(key: &ApiKey) -> Result<ApiKeyResponse, AppError> {
    Ok(ApiKeyResponse {
        id: key.id,
        name: key.name.clone(),
        user_id: key.user_id,
        prefix: key.prefix.clone(),
        scopes: scopes_of(key),
        expires_at: key.expires_at.map(|t| t.and_utc()),
        revoked_at: key.revoked_at.map(|t| t.and_utc()),
        last_used_at: key.last_used_at.map(|t| t.and_utc()),
        created_at: key.created_at.and_utc(),
    })
}

/// Checks a presented key; returns the stored key when it is valid now.
pub fn authenticate(conn: &mut DbConnection, presented: &str) -> Result<ApiKey, AppError> {
    let invalid = || AppError::Unauthenticated("the API key is not valid".into());
    let (prefix, _) = split_api_key(presented).ok_or_else(invalid)?;
    let key = repo::find_by_prefix(conn, prefix)?.ok_or_else(invalid)?;
    if !constant_time_eq(&key.key_hash, &sha256_hex(presented.as_bytes())) {
        return Err(invalid());
    }
    let at = now();
    if key.revoked_at.is_some() || key.expires_at.is_some_and(|e| e <= at) {
        return Err(AppError::Unauthenticated(
            "the API key is revoked or expired".into(),
        ));
    }
    repo::touch(conn, key.id, at)?;
    Ok(key)
}

pub fn create_api_key(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    req: CreateApiKeyRequest,
) -> Result<CreatedApiKeyResponse, AppError> {
    actor.require("iam.api_key.write")?;
    let owner = req.user_id.unwrap_or(actor.user_id);
    let mut v = Validator::new();
    v.text("name", &req.name, 200);
    for (i, s) in req.scopes.iter().enumerate() {
        if !catalog.is_valid_grant(s) {
            v.add(
                format!("scopes[{i}]"),
                format!("'{s}' is not a known permission or pattern"),
            );
        }
    }
    if let Some(exp) = req.expires_at {
        v.check(
            exp > chrono::Utc::now(),
            "expires_at",
            "must be in the future",
        );
    }
    let owner_row = match user::repo::find(conn, owner)? {
        Some(u) if u.company_id == actor.company_id => Some(u),
        _ => {
            v.add("user_id", "no such user in the company");
            None
        }
    };
    v.finish()?;
    // A key acts as its owner: one for someone else needs the right to act on them, and no
    // key carries a scope its creator does not hold.
    if let Some(owner_row) = &owner_row {
        rights::check_target(conn, actor, catalog, owner_row)?;
    }
    if !req.scopes.is_empty() {
        rights::check_grant(
            actor,
            catalog,
            &rights::Reach::of_grants(req.scopes.clone(), actor.branches.clone(), catalog),
        )?;
    }
    // A hex prefix cannot contain '_', the separator of prefix and secret.
    let prefix = random_hex(6);
    let key_text = format!("erpk_{prefix}_{}", random_token(32));
    let key = ApiKey {
        id: ApiKeyId::new(),
        company_id: actor.company_id,
        user_id: owner,
        name: req.name.trim().to_string(),
        prefix,
        key_hash: sha256_hex(key_text.as_bytes()),
        scopes: req.scopes.join(" "),
        expires_at: req.expires_at.map(|t| t.naive_utc()),
        revoked_at: None,
        last_used_at: None,
        created_at: now(),
    };
    write_tx(conn, |conn| {
        repo::insert(conn, &key)?;
        let out = to_response(&key)?;
        audit::record(conn, actor, ENTITY, key.id, Change::Created(&out))?;
        Ok(CreatedApiKeyResponse {
            api_key: out,
            key: key_text.clone(),
        })
    })
}

pub fn list_api_keys(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<ApiKeyPage, AppError> {
    // Everyone may list their own keys; the company's keys need the permission.
    let only_own = !actor.can("iam.api_key.read");
    let page = params.validate()?;
    let rows = repo::list(
        conn,
        actor.company_id,
        only_own.then_some(actor.user_id),
        &page,
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |k| k.id);
    Ok(ApiKeyPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Revokes a key; it stops working at once. The caller's own keys need no permission.
pub fn revoke_api_key(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    id: ApiKeyId,
) -> Result<ApiKeyResponse, AppError> {
    write_tx(conn, |conn| {
        let key = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
        if key.user_id != actor.user_id {
            actor.require("iam.api_key.write")?;
            let owner = user::repo::find(conn, key.user_id)?.ok_or(AppError::NotFound(ENTITY))?;
            rights::check_target(conn, actor, catalog, &owner)?;
        }
        repo::revoke(conn, key.id, now())?;
        let key = repo::find(conn, key.id, key.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
        let out = to_response(&key)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            key.id,
            Change::Action("revoke", Some(&out)),
        )?;
        Ok(out)
    })
}
