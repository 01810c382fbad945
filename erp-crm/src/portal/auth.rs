//! The portal principal: a portal token (never accepted as a staff token, and the other way
//! round) checked against an active account on every request.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use erp_core::auth::Actor;
use erp_core::context::RequestId;
use erp_core::error::AppError;
use erp_core::ids::{CompanyId, UserId};
use erp_core::Ctx;

use crate::model::PortalAccountRow;

/// A customer's portal account acting.
#[derive(Debug, Clone)]
pub struct PortalActor {
    pub account: PortalAccountRow,
    pub request_id: Option<String>,
}

impl PortalActor {
    /// The account as the author of audit records: no permissions, named `portal:<login>`.
    pub fn audit_actor(&self) -> Result<Actor, AppError> {
        Ok(Actor::without_rights(
            UserId::from_db(&self.account.id)?,
            CompanyId::from_db(&self.account.company_id)?,
            format!("portal:{}", self.account.login),
            self.request_id.clone(),
        ))
    }
}

impl FromRequest for PortalActor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<PortalActor, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The gateway authenticates before any extractor runs (see `authenticate`).
        if let Some(actor) = req.extensions().get::<PortalActor>().cloned() {
            return Box::pin(std::future::ready(Ok(actor)));
        }
        Box::pin(authenticate(req))
    }
}

/// Checks the portal token of the request against an active account.
pub fn authenticate(req: &HttpRequest) -> impl Future<Output = Result<PortalActor, AppError>> {
    let ctx = req.app_data::<web::Data<Ctx>>().cloned();
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    async move {
        let ctx = ctx.ok_or_else(|| AppError::Internal("Ctx is not registered".into()))?;
        let token = token.ok_or_else(|| {
            AppError::Unauthenticated("send the portal token as a bearer token".into())
        })?;
        let claims = ctx.auth.verify_portal(&token)?;
        let account = ctx
            .db
            .run(move |conn| {
                super::repo::find_account(conn, &claims.sub, &claims.cid).map_err(AppError::from)
            })
            .await?
            .filter(|a| a.active)
            .ok_or_else(|| {
                AppError::Unauthenticated("the portal account is no longer active".into())
            })?;
        Ok(PortalActor {
            account,
            request_id,
        })
    }
}
