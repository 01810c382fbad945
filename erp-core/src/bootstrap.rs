//! First start: an empty database gets a company, a head-office branch, an Administrator
//! role holding every permission, and the `admin` user. Also keeps the token secret.

use crate::address::Address;
use crate::auth::{password, secret};
use crate::db::{now, settings, write_tx, DbConnection};
use crate::error::AppError;
use crate::iam::{role, user};
use crate::ids::{BranchId, CompanyId, RoleId, UserId};
use crate::org::{branch, company};

pub struct AdminCreated {
    pub username: String,
    /// Set when the password was generated, so it can be shown once.
    pub generated_password: Option<String>,
}

/// Creates the first company and the admin user when there are no users yet.
/// Safe when several processes start at once: only one creates them.
pub fn ensure_admin(
    conn: &mut DbConnection,
    admin_password: Option<&str>,
) -> Result<Option<AdminCreated>, AppError> {
    if user::repo::any_exists(conn)? {
        return Ok(None);
    }
    let generated = admin_password.is_none().then(|| secret::random_token(12));
    let plain = admin_password
        .map(str::to_string)
        .or(generated.clone())
        .unwrap_or_default();
    if plain.chars().count() < password::MIN_LENGTH {
        return Err(AppError::field(
            "ERP_ADMIN_PASSWORD",
            format!("must be at least {} characters", password::MIN_LENGTH),
        ));
    }
    let hash = password::hash(&plain)?;
    let created = write_tx(conn, |conn| {
        if user::repo::any_exists(conn)? {
            return Ok(false);
        }
        let company = company::service::new_company(
            CompanyId::new(),
            &company::dto::CreateCompanyRequest {
                id: None,
                code: "MAIN".into(),
                name: "Main company".into(),
                currency: "EUR".into(),
                time_zone: "UTC".into(),
                address: Address::default(),
                tax_id: None,
                stock_backdate_days: None,
            },
        )?;
        company::repo::insert(conn, &company)?;
        let hq = branch::service::new_branch(
            &company,
            BranchId::new(),
            &branch::dto::CreateBranchRequest {
                id: None,
                code: "HQ".into(),
                name: "Head office".into(),
                currency: None,
                time_zone: None,
                address: Address::default(),
            },
        )?;
        branch::repo::insert(conn, &hq)?;
        let at = now();
        let admin_role = role::model::Role {
            id: RoleId::new(),
            company_id: company.id,
            name: "Administrator".into(),
            description: Some("Every permission in every module".into()),
            version: 1,
            created_at: at,
            updated_at: at,
            builtin: true,
        };
        role::repo::insert(conn, &admin_role)?;
        role::repo::set_permissions(conn, admin_role.id, &["*".to_string()])?;
        let admin = user::model::User {
            id: UserId::new(),
            company_id: company.id,
            username: "admin".into(),
            display_name: "Administrator".into(),
            email: None,
            password_hash: hash.clone(),
            active: true,
            all_branches: true,
            password_changed_at: at,
            last_login_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        user::repo::insert(conn, &admin)?;
        user::repo::set_roles(conn, admin.id, std::slice::from_ref(&admin_role.id))?;
        Ok::<_, AppError>(true)
    });
    match created {
        Ok(true) => Ok(Some(AdminCreated {
            username: "admin".into(),
            generated_password: generated,
        })),
        Ok(false) => Ok(None),
        // Another process created them between our check and our insert.
        Err(AppError::Conflict { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The secret that signs access tokens: configured, or generated once and kept in the
/// database so that every process on the same database accepts the same tokens.
pub fn token_secret(
    conn: &mut DbConnection,
    configured: Option<&str>,
) -> Result<Vec<u8>, AppError> {
    if let Some(s) = configured {
        return Ok(s.as_bytes().to_vec());
    }
    const KEY: &str = "jwt_secret";
    let read = |conn: &mut DbConnection| settings::get(conn, KEY);
    if let Some(s) = read(conn)? {
        return Ok(s.into_bytes());
    }
    let candidate = secret::random_token(48);
    let inserted = write_tx(conn, |conn| {
        if read(conn)?.is_some() {
            return Ok::<_, AppError>(());
        }
        settings::insert(conn, KEY, &candidate)?;
        Ok(())
    });
    match inserted {
        Ok(()) | Err(AppError::Conflict { .. }) => {}
        Err(e) => return Err(e),
    }
    read(conn)?
        .map(String::into_bytes)
        .ok_or_else(|| AppError::Internal("token secret missing after insert".into()))
}
