use crate::ids::{CompanyId, RoleId};
use diesel::prelude::*;

use super::model::Role;
use crate::db::schema::{role_permissions, roles};
use crate::db::DbConnection;
use crate::pagination::PageRequest;

/// (role, company) of the oldest role that holds every permission (`*`): the first
/// company's administrators.
pub fn first_superuser(conn: &mut DbConnection) -> QueryResult<Option<(RoleId, CompanyId)>> {
    roles::table
        .inner_join(role_permissions::table)
        .filter(role_permissions::permission.eq("*"))
        .select((roles::id, roles::company_id))
        .order(roles::created_at)
        .first(conn)
        .optional()
}

pub fn find(
    conn: &mut DbConnection,
    id: RoleId,
    company_id: CompanyId,
) -> QueryResult<Option<Role>> {
    roles::table
        .find(id)
        .filter(roles::company_id.eq(company_id))
        .select(Role::as_select())
        .first(conn)
        .optional()
}

pub fn exists_in_company(
    conn: &mut DbConnection,
    id: RoleId,
    company_id: CompanyId,
) -> QueryResult<bool> {
    find(conn, id, company_id).map(|r| r.is_some())
}

pub fn name_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    name: &str,
    except: RoleId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        roles::table
            .filter(roles::company_id.eq(company_id))
            .filter(roles::name.eq(name))
            .filter(roles::id.ne(except)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, role: &Role) -> QueryResult<()> {
    diesel::insert_into(roles::table)
        .values(role)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, role: &Role, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        roles::table
            .filter(roles::id.eq(&role.id))
            .filter(roles::version.eq(expected)),
    )
    .set((
        roles::name.eq(&role.name),
        roles::description.eq(&role.description),
        roles::version.eq(role.version),
        roles::updated_at.eq(role.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConnection, id: RoleId) -> QueryResult<()> {
    diesel::delete(roles::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<Role>> {
    let mut q = roles::table
        .filter(roles::company_id.eq(company_id))
        .into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(roles::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(roles::id.gt(after.clone()));
    }
    q.order(roles::id.asc())
        .limit(page.fetch_limit())
        .select(Role::as_select())
        .load(conn)
}

pub fn permissions_of(conn: &mut DbConnection, role_id: RoleId) -> QueryResult<Vec<String>> {
    role_permissions::table
        .filter(role_permissions::role_id.eq(role_id))
        .select(role_permissions::permission)
        .order(role_permissions::permission)
        .load(conn)
}

/// The grants of several roles together.
pub fn grants_of_roles(conn: &mut DbConnection, role_ids: &[RoleId]) -> QueryResult<Vec<String>> {
    role_permissions::table
        .filter(role_permissions::role_id.eq_any(role_ids))
        .select(role_permissions::permission)
        .distinct()
        .load(conn)
}

pub fn set_permissions(
    conn: &mut DbConnection,
    role_id: RoleId,
    grants: &[String],
) -> QueryResult<()> {
    diesel::delete(role_permissions::table.filter(role_permissions::role_id.eq(role_id)))
        .execute(conn)?;
    for grant in grants {
        diesel::insert_into(role_permissions::table)
            .values((
                role_permissions::role_id.eq(role_id),
                role_permissions::permission.eq(grant),
            ))
            .execute(conn)?;
    }
    Ok(())
}
