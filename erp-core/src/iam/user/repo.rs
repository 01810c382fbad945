use crate::ids::{BranchId, CompanyId, RoleId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::User;
use crate::db::schema::{auth_generation, role_permissions, user_branches, user_roles, users};
use crate::db::{lower, DbConnection};
use crate::pagination::PageRequest;

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn any_exists(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.select(users::id))).get_result(conn)
}

pub fn insert(conn: &mut DbConnection, user: &User) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

/// Writes `user` if its stored version is still `expected`; false when someone else won.
pub fn update_versioned(conn: &mut DbConnection, user: &User, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        users::table
            .filter(users::id.eq(&user.id))
            .filter(users::version.eq(expected)),
    )
    .set((
        users::display_name.eq(&user.display_name),
        users::email.eq(&user.email),
        users::password_hash.eq(&user.password_hash),
        users::active.eq(user.active),
        users::all_branches.eq(user.all_branches),
        users::password_changed_at.eq(user.password_changed_at),
        users::version.eq(user.version),
        users::updated_at.eq(user.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn touch_login(conn: &mut DbConnection, id: UserId, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    filter: &UserFilter,
    page: &PageRequest,
) -> QueryResult<Vec<User>> {
    let mut q = users::table
        .filter(users::company_id.eq(company_id))
        .into_boxed();
    if let Some(text) = &filter.q {
        let pattern = format!("%{}%", text.to_lowercase());
        q = q.filter(
            users::username
                .like(pattern.clone())
                .or(lower(users::display_name).like(pattern)),
        );
    }
    if let Some(active) = filter.active {
        q = q.filter(users::active.eq(active));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(users::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(users::id.gt(after.clone()));
    }
    q.order(users::id.asc())
        .limit(page.fetch_limit())
        .select(User::as_select())
        .load(conn)
}

/// The permission grants of all the user's roles.
pub fn grants_of(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Vec<String>> {
    user_roles::table
        .inner_join(role_permissions::table.on(role_permissions::role_id.eq(user_roles::role_id)))
        .filter(user_roles::user_id.eq(user_id))
        .select(role_permissions::permission)
        .distinct()
        .load(conn)
}

/// (user, grant) of every active user with all branches in the company: the candidates for
/// administrator.
pub fn grants_of_all_branch_users(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(UserId, String)>> {
    users::table
        .inner_join(user_roles::table.on(user_roles::user_id.eq(users::id)))
        .inner_join(role_permissions::table.on(role_permissions::role_id.eq(user_roles::role_id)))
        .filter(users::company_id.eq(company_id))
        .filter(users::active.eq(true))
        .filter(users::all_branches.eq(true))
        .select((users::id, role_permissions::permission))
        .distinct()
        .load(conn)
}

pub fn role_ids_of(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Vec<RoleId>> {
    user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role_id)
        .order(user_roles::role_id)
        .load(conn)
}

pub fn branch_ids_of(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Vec<BranchId>> {
    user_branches::table
        .filter(user_branches::user_id.eq(user_id))
        .select(user_branches::branch_id)
        .order(user_branches::branch_id)
        .load(conn)
}

pub fn set_roles(conn: &mut DbConnection, user_id: UserId, role_ids: &[RoleId]) -> QueryResult<()> {
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    // One row at a time: batch inserts do not compile through the MultiConnection backend.
    for r in role_ids {
        diesel::insert_into(user_roles::table)
            .values((user_roles::user_id.eq(user_id), user_roles::role_id.eq(r)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_branches(
    conn: &mut DbConnection,
    user_id: UserId,
    branch_ids: &[BranchId],
) -> QueryResult<()> {
    diesel::delete(user_branches::table.filter(user_branches::user_id.eq(user_id)))
        .execute(conn)?;
    // One row at a time: batch inserts do not compile through the MultiConnection backend.
    for b in branch_ids {
        diesel::insert_into(user_branches::table)
            .values((
                user_branches::user_id.eq(user_id),
                user_branches::branch_id.eq(b),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The number that moves whenever a user's standing, roles, grants, branches, sessions or API
/// keys change (database triggers bump it in the changing transaction). Actors cached under
/// an older number are stale.
pub fn auth_generation(conn: &mut DbConnection) -> QueryResult<i64> {
    auth_generation::table
        .find(1)
        .select(auth_generation::value)
        .first(conn)
}
