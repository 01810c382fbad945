//! JWT access tokens (HS256 only: a token naming any other algorithm, `none` included, is
//! refused before its signature is looked at).

use crate::ids::{CompanyId, UserId};
use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    /// The user's company id.
    pub cid: String,
    pub iat: i64,
    pub exp: i64,
    /// Always `access`: a refresh token is opaque and never a JWT.
    pub typ: String,
    /// The login session the token belongs to; the token dies with it (logout, password
    /// change, disabling). Portal tokens have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Keys and lifetimes for tokens. Several `erp` processes on one database share the secret.
#[derive(Clone)]
pub struct AuthSettings {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
}

pub struct IssuedAccess {
    pub token: String,
    pub expires_in: i64,
}

impl AuthSettings {
    pub fn new(secret: &[u8], access_ttl_secs: i64, refresh_ttl_secs: i64) -> AuthSettings {
        AuthSettings {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl_secs,
            refresh_ttl_secs,
        }
    }

    /// An access token of the login session `session_id`.
    pub fn issue_access(
        &self,
        user_id: UserId,
        company_id: CompanyId,
        session_id: &str,
    ) -> Result<IssuedAccess, AppError> {
        self.issue(
            &user_id.to_string(),
            &company_id.to_string(),
            "access",
            Some(session_id),
        )
    }

    /// A token for a customer portal account (`sub` is the account): accepted by the portal
    /// routes only, as staff routes accept only `access` tokens.
    pub fn issue_portal(
        &self,
        account_id: &str,
        company_id: &str,
    ) -> Result<IssuedAccess, AppError> {
        self.issue(account_id, company_id, "portal", None)
    }

    fn issue(
        &self,
        subject: &str,
        company_id: &str,
        typ: &str,
        session_id: Option<&str>,
    ) -> Result<IssuedAccess, AppError> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            sub: subject.to_string(),
            cid: company_id.to_string(),
            iat: now,
            exp: now + self.access_ttl_secs,
            typ: typ.into(),
            sid: session_id.map(str::to_string),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("token signing failed: {e}")))?;
        Ok(IssuedAccess {
            token,
            expires_in: self.access_ttl_secs,
        })
    }

    /// Verifies signature, algorithm, expiry and kind.
    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, AppError> {
        self.verify(token, "access")
    }

    /// Verifies a portal token as `verify_access` does a staff one.
    pub fn verify_portal(&self, token: &str) -> Result<AccessClaims, AppError> {
        self.verify(token, "portal")
    }

    fn verify(&self, token: &str, typ: &str) -> Result<AccessClaims, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = decode::<AccessClaims>(token, &self.decoding, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            AppError::Unauthenticated(match e.kind() {
                ErrorKind::ExpiredSignature => "the access token has expired".into(),
                _ => "the access token is not valid".into(),
            })
        })?;
        if data.claims.typ != typ {
            return Err(AppError::Unauthenticated(format!(
                "the token is not {} token",
                if typ == "access" {
                    "an access"
                } else {
                    "a portal"
                }
            )));
        }
        Ok(data.claims)
    }
}
