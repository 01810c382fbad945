use super::dto::*;
use super::repo::{self, RefreshToken};
use super::throttle;
use crate::audit::{self, Change};
use crate::auth::secret::{random_token, sha256_hex};
use crate::auth::{password, Actor, AuthMethod, AuthSettings, BranchScope, PermissionCatalog};
use crate::db::{new_id, now, write_tx, DbConnection};
use crate::error::AppError;
use crate::iam::user::{self, model::User};

pub fn invalid_credentials() -> AppError {
    AppError::Unauthenticated("the user name or password is wrong".into())
}

/// Looks the user up for a login; the password is checked by the caller, off any
/// connection, because argon2 is slow on purpose.
pub fn find_login_user(conn: &mut DbConnection, username: &str) -> Result<Option<User>, AppError> {
    Ok(user::repo::find_by_username(
        conn,
        &user::service::normalize_username(username),
    )?)
}

/// Issues an access token and a new refresh token (a new session) for a user whose password
/// was checked from `address`.
pub fn start_session(
    conn: &mut DbConnection,
    auth: &AuthSettings,
    user: &User,
    address: &str,
) -> Result<TokenResponse, AppError> {
    write_tx(conn, |conn| {
        let at = now();
        user::repo::touch_login(conn, user.id, at)?;
        throttle::record_success(conn, user.id, address)?;
        issue_tokens(conn, auth, user, None)
    })
}

/// Tokens of the session `session_id`, or of a new session.
fn issue_tokens(
    conn: &mut DbConnection,
    auth: &AuthSettings,
    user: &User,
    session_id: Option<&str>,
) -> Result<TokenResponse, AppError> {
    let id = new_id();
    let session_id = session_id.unwrap_or(&id).to_string();
    let access = auth.issue_access(user.id, user.company_id, &session_id)?;
    let refresh = random_token(32);
    let at = now();
    repo::insert(
        conn,
        &RefreshToken {
            id,
            user_id: user.id,
            token_hash: sha256_hex(refresh.as_bytes()),
            expires_at: at + chrono::Duration::seconds(auth.refresh_ttl_secs),
            revoked_at: None,
            created_at: at,
            session_id,
        },
    )?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer".into(),
        expires_in: access.expires_in,
        refresh_token: refresh,
        refresh_expires_in: auth.refresh_ttl_secs,
    })
}

/// Exchanges a refresh token for new tokens. Each refresh token works once; presenting a
/// used one again means it was stolen or replayed, and ends all the user's sessions.
pub fn refresh(
    conn: &mut DbConnection,
    auth: &AuthSettings,
    token: &str,
) -> Result<TokenResponse, AppError> {
    let invalid = || AppError::Unauthenticated("the refresh token is not valid".into());
    let hash = sha256_hex(token.as_bytes());
    let outcome = write_tx(conn, |conn| {
        let stored = repo::find_by_hash(conn, &hash)?.ok_or_else(invalid)?;
        let at = now();
        if stored.revoked_at.is_some() {
            repo::revoke_all_for_user(conn, stored.user_id, at)?;
            return Ok(Err(AppError::Unauthenticated(
                "the refresh token was already used; all sessions of the user are ended".into(),
            )));
        }
        if stored.expires_at <= at {
            return Err(AppError::Unauthenticated(
                "the refresh token has expired".into(),
            ));
        }
        let user = user::repo::find(conn, stored.user_id)?
            .filter(|u| u.active)
            .ok_or_else(invalid)?;
        if !repo::revoke_if_live(conn, &stored.id, at)? {
            return Err(invalid());
        }
        issue_tokens(conn, auth, &user, Some(&stored.session_id)).map(Ok)
    })?;
    // The revocation of a replayed token's family must commit, so the error comes after.
    outcome
}

/// Ends the session of a refresh token (the caller's own).
pub fn logout(conn: &mut DbConnection, actor: &Actor, token: &str) -> Result<(), AppError> {
    let hash = sha256_hex(token.as_bytes());
    write_tx(conn, |conn| match repo::find_by_hash(conn, &hash)? {
        Some(t) if t.user_id == actor.user_id => {
            repo::revoke_if_live(conn, &t.id, now())?;
            Ok(())
        }
        _ => Err(AppError::field(
            "refresh_token",
            "is not a session of the caller",
        )),
    })
}

pub fn me(actor: &Actor, catalog: &PermissionCatalog) -> MeResponse {
    MeResponse {
        user_id: actor.user_id,
        company_id: actor.company_id,
        username: actor.username.clone(),
        authenticated_by: match actor.method {
            AuthMethod::AccessToken => Credential::AccessToken,
            AuthMethod::ApiKey(_) => Credential::ApiKey,
        },
        permissions: actor.permissions.effective(catalog),
        all_branches: actor.sees_all_branches(),
        branch_ids: match &actor.branches {
            BranchScope::All => Vec::new(),
            BranchScope::Only(set) => set.iter().copied().collect(),
        },
    }
}

/// The caller changes their own password, proving the current one.
pub fn change_own_password(
    conn: &mut DbConnection,
    actor: &Actor,
    catalog: &PermissionCatalog,
    req: &ChangePasswordRequest,
) -> Result<(), AppError> {
    let stored = user::repo::find(conn, actor.user_id)?.ok_or_else(invalid_credentials)?;
    if !password::verify(&req.current_password, &stored.password_hash) {
        return Err(AppError::field("current_password", "is wrong"));
    }
    user::service::set_password(conn, actor, catalog, actor.user_id, &req.new_password).map(|_| ())
}

/// Counts a failed login from `address` against the throttle and, when the user exists,
/// records it in the audit trail (and the lock it started, if any).
pub fn record_failed_login(
    conn: &mut DbConnection,
    user: Option<&User>,
    address: &str,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let lock = throttle::record_failure(conn, user.map(|u| u.id), address)?;
        let Some(user) = user else {
            return Ok(());
        };
        let actor = Actor::without_rights(user.id, user.company_id, user.username.clone(), None);
        let detail = serde_json::json!({ "address": address, "locked_for_seconds": lock });
        audit::record(
            conn,
            &actor,
            "user",
            user.id,
            Change::Action("login_failed", Some(&detail)),
        )?;
        if lock.is_some() {
            audit::record(
                conn,
                &actor,
                "user",
                user.id,
                Change::Action("login_locked", Some(&detail)),
            )?;
        }
        Ok(())
    })
}

pub use invalid_credentials as login_refused;
