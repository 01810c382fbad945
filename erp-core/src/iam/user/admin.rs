//! User administration from the command line (`erp admin ...`), without an actor: whoever
//! can run the binary against the database is trusted.

use super::model::User;
use super::repo;
use super::service::normalize_username;
use crate::auth::password;
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::ids::UserId;

/// Creates a user holding a role with `*` in the first company (after first start).
pub fn create_superuser(
    conn: &mut DbConnection,
    username: &str,
    plain: &str,
) -> Result<(), AppError> {
    let username = normalize_username(username);
    let mut v = Validator::new();
    v.text("username", &username, 64);
    password::check_policy(&mut v, "password", plain);
    v.finish()?;
    let hash = password::hash(plain)?;
    write_tx(conn, |conn| {
        if repo::find_by_username(conn, &username)?.is_some() {
            return Err(AppError::conflict(
                "duplicate_username",
                format!("the user name '{username}' is taken"),
            ));
        }
        let (role_id, company_id) =
            crate::iam::role::repo::first_superuser(conn)?.ok_or_else(|| {
                AppError::conflict(
                    "not_initialised",
                    "start the server once to create the first company",
                )
            })?;
        let at = now();
        let user = User {
            id: UserId::new(),
            company_id,
            username: username.clone(),
            display_name: username.clone(),
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
        repo::insert(conn, &user)?;
        repo::set_roles(conn, user.id, &[role_id])?;
        Ok(())
    })
}

/// Sets a password, ends the user's sessions and lifts their login locks.
pub fn reset_password(
    conn: &mut DbConnection,
    username: &str,
    plain: &str,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    password::check_policy(&mut v, "password", plain);
    v.finish()?;
    let hash = password::hash(plain)?;
    write_tx(conn, |conn| {
        let mut user = repo::find_by_username(conn, &normalize_username(username))?
            .ok_or(AppError::NotFound("user"))?;
        let expected = user.version;
        user.password_hash = hash.clone();
        user.password_changed_at = now();
        user.version += 1;
        user.updated_at = user.password_changed_at;
        user.active = true;
        repo::update_versioned(conn, &user, expected)?;
        crate::iam::session::repo::revoke_all_for_user(conn, user.id, user.password_changed_at)?;
        // The way back in for a locked-out administrator: the host lifts the login locks too.
        crate::iam::session::throttle::unlock(conn, user.id)?;
        Ok(())
    })
}
