//! The gate of every protected request: reads its credential (a bearer token or an API key),
//! checks it against the database and loads the [`Actor`] handlers receive. It sits above
//! `auth` (what an actor is and may do), `iam` (users, sessions, keys) and `context`, so
//! none of those needs the others' request plumbing.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::NaiveDateTime;

use crate::auth::secret::sha256_hex;
use crate::auth::{
    split_api_key, AccessClaims, Actor, AuthMethod, BranchScope, PermissionCatalog, PermissionSet,
    API_KEY_PREFIX,
};
use crate::context::{Ctx, RequestId};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::iam::{api_key, session, user};
use crate::ids::UserId;

/// A credential as presented, before it is checked against the database.
enum Credential {
    Token(AccessClaims),
    ApiKey(String),
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Actor, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The gateway authenticates before any extractor runs (see `authenticate`).
        if let Some(actor) = req.extensions().get::<Actor>().cloned() {
            return Box::pin(std::future::ready(Ok(actor)));
        }
        Box::pin(authenticate(req))
    }
}

/// Checks the request's credential and loads the actor. The gateway calls it before routing
/// a protected operation, so a bad credential is a 401 before any body or query is read,
/// and stores the actor in the request's extensions for the handler.
pub fn authenticate(req: &HttpRequest) -> impl Future<Output = Result<Actor, AppError>> {
    let ctx = req.app_data::<web::Data<Ctx>>().cloned();
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let credential = read_credential(req, ctx.as_ref().map(|c| c.get_ref()));
    async move {
        let ctx = ctx.ok_or_else(|| AppError::Internal("Ctx is not registered".into()))?;
        let credential = credential?;
        let ctx2 = ctx.clone();
        let mut actor = ctx
            .db
            .run(move |conn| load_actor(conn, &ctx2, credential))
            .await?;
        actor.request_id = request_id;
        Ok(actor)
    }
}

fn read_credential(req: &HttpRequest, ctx: Option<&Ctx>) -> Result<Credential, AppError> {
    let missing = || AppError::Unauthenticated("send a bearer token or an X-API-Key header".into());
    if let Some(key) = req.headers().get("x-api-key") {
        let key = key.to_str().map_err(|_| missing())?.trim();
        return Ok(Credential::ApiKey(key.to_string()));
    }
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(missing)?
        .to_str()
        .map_err(|_| missing())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(missing());
    }
    let token = token.trim();
    if token.starts_with(API_KEY_PREFIX) {
        return Ok(Credential::ApiKey(token.to_string()));
    }
    let ctx = ctx.ok_or_else(|| AppError::Internal("Ctx is not registered".into()))?;
    ctx.auth.verify_access(token).map(Credential::Token)
}

/// The principal a request is made by, without touching the database: the user id of a
/// verified token, or the public prefix of an API key. Keys idempotency records.
pub fn principal_of(req: &HttpRequest) -> Option<String> {
    let ctx = req.app_data::<web::Data<Ctx>>()?;
    match read_credential(req, Some(ctx.get_ref())).ok()? {
        Credential::Token(claims) => Some(format!("user:{}", claims.sub)),
        Credential::ApiKey(key) => split_api_key(&key).map(|(prefix, _)| format!("key:{prefix}")),
    }
}

/// The actor behind a credential: remembered from an earlier request while nothing about
/// their rights has changed since (one query), else read afresh (see `read_actor`).
fn load_actor(
    conn: &mut DbConnection,
    ctx: &Ctx,
    credential: Credential,
) -> Result<Actor, AppError> {
    let at = crate::db::now();
    // Read before the actor, so that an actor read under a change is kept under the number
    // before it, and thrown away when the change is seen.
    let generation = user::repo::auth_generation(conn)?;
    let key = match &credential {
        Credential::Token(claims) => format!(
            "token:{}:{}:{}",
            claims.sub,
            claims.sid.as_deref().unwrap_or_default(),
            claims.iat
        ),
        Credential::ApiKey(key) => format!("key:{}", sha256_hex(key.as_bytes())),
    };
    if let Some(hit) = ctx.actors.get(generation, &key, at) {
        if let (true, AuthMethod::ApiKey(id)) = (hit.touch_due, &hit.actor.method) {
            api_key::repo::touch(conn, *id, at)?;
        }
        return Ok(hit.actor);
    }
    let (actor, valid_until) = read_actor(conn, &ctx.permissions, credential, at)?;
    ctx.actors.put(generation, key, &actor, valid_until, at);
    Ok(actor)
}

/// Checks a credential against the database and loads what the actor may do, and until
/// when the credential holds if nothing changes (its session's or key's expiry).
fn read_actor(
    conn: &mut DbConnection,
    catalog: &PermissionCatalog,
    credential: Credential,
    at: NaiveDateTime,
) -> Result<(Actor, NaiveDateTime), AppError> {
    let mut token_claims = None;
    let mut key_scopes: Option<Vec<String>> = None;
    let mut valid_until = NaiveDateTime::MAX;
    let (user_id, method) = match credential {
        Credential::Token(claims) => {
            // A subject that is no user's id is a credential no longer valid, as an unknown one.
            let id = claims
                .sub
                .parse::<uuid::Uuid>()
                .map(UserId::from)
                .map_err(|_| {
                    AppError::Unauthenticated("the credential is no longer valid".into())
                })?;
            token_claims = Some(claims);
            (id, AuthMethod::AccessToken)
        }
        Credential::ApiKey(key) => {
            let key = api_key::service::authenticate(conn, &key)?;
            key_scopes = Some(api_key::model::scopes_of(&key));
            if let Some(expires_at) = key.expires_at {
                valid_until = expires_at;
            }
            (key.user_id, AuthMethod::ApiKey(key.id))
        }
    };
    let invalid = || AppError::Unauthenticated("the credential is no longer valid".into());
    let row = user::repo::find(conn, user_id)?.ok_or_else(invalid)?;
    if !row.active {
        return Err(invalid());
    }
    if let Some(claims) = &token_claims {
        // A token lives only as long as its login session: logout, a password change,
        // disabling and a stolen refresh token end the session and so the token, at once.
        let live_until = match &claims.sid {
            Some(sid) => session::repo::session_live_until(conn, sid, row.id, at)?,
            None => None,
        };
        valid_until = live_until.ok_or_else(|| {
            AppError::Unauthenticated("the session of this token has ended; log in again".into())
        })?;
        // A password change ends every session that began before it.
        if claims.iat < row.password_changed_at.and_utc().timestamp() {
            return Err(AppError::Unauthenticated(
                "the token was issued before the password was changed".into(),
            ));
        }
    }
    let mut permissions = PermissionSet::new(user::repo::grants_of(conn, row.id)?);
    if let Some(key_scopes) = key_scopes {
        if !key_scopes.is_empty() {
            permissions = permissions.narrowed_to(&PermissionSet::new(key_scopes), catalog);
        }
    }
    let branches = if row.all_branches {
        BranchScope::All
    } else {
        BranchScope::Only(
            user::repo::branch_ids_of(conn, row.id)?
                .into_iter()
                .collect(),
        )
    };
    let actor = Actor {
        user_id: row.id,
        company_id: row.company_id,
        username: row.username,
        permissions,
        branches,
        method,
        request_id: None,
    };
    Ok((actor, valid_until))
}
