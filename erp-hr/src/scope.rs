//! Branch scope: HR records belong to a branch, and a user limited to some branches sees
//! and changes only theirs.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::ids::BranchId;
use erp_core::org::branch;

/// Adds a field error unless the branch is the company's and one the actor works in.
pub fn check_branch(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    field: &str,
    branch_id: BranchId,
) -> Result<(), AppError> {
    let exists = branch::repo::exists_in_company(conn, branch_id, actor.company_id)?;
    if !exists || !actor.sees_branch(&branch_id) {
        v.add(field, "no such branch, or not one you work in");
    }
    Ok(())
}
