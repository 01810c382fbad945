//! Builds the org chart from three reads: departments, their positions, their people.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::BranchId;
use erp_core::org::branch;

use super::dto::*;
use crate::department::model::DepartmentRow;
use crate::department::service::READ;
use crate::ids::{DepartmentId, EmployeeId};
use crate::{department, employee, position, scope, wire};

pub fn org_chart(
    conn: &mut DbConnection,
    actor: &Actor,
    q: OrgChartQuery,
) -> Result<OrgChart, AppError> {
    actor.require(READ)?;
    let at = wire::today();
    let company = actor.company_id.to_db();
    let mut branches = scope::branch_filter(actor);
    if let Some(b) = q.branch_id {
        branch::service::load_visible(conn, actor, b)?;
        branches = Some(vec![b.to_db()]);
    }
    let departments: Vec<DepartmentRow> =
        department::repo::all(conn, &company, branches.as_deref())?
            .into_iter()
            .filter(|d| d.active)
            .collect();
    let ids: Vec<String> = departments.iter().map(|d| d.id.clone()).collect();

    let positions = position::repo::of_departments(conn, &ids)?;
    let titles: HashMap<&str, &str> = positions
        .iter()
        .map(|p| (p.id.as_str(), p.title.as_str()))
        .collect();
    let mut planned: HashMap<&str, i64> = HashMap::new();
    for p in positions.iter().filter(|p| p.active) {
        *planned.entry(p.department_id.as_str()).or_default() += i64::from(p.headcount);
    }
    let people = employee::repo::current_in_departments(conn, &ids, at)?;
    let mut members: HashMap<&str, Vec<OrgMember>> = HashMap::new();
    for (e, name) in &people {
        members
            .entry(e.department_id.as_str())
            .or_default()
            .push(OrgMember {
                id: EmployeeId::from_db(&e.id)?,
                number: e.number.clone(),
                name: name.clone(),
                position: e
                    .position_id
                    .as_deref()
                    .and_then(|p| titles.get(p))
                    .map(|t| t.to_string()),
                manager_id: EmployeeId::from_db_opt(e.manager_id.as_deref())?,
            });
    }
    let manager_ids: Vec<String> = departments
        .iter()
        .filter_map(|d| d.manager_id.clone())
        .collect();
    let managers: HashMap<String, OrgPerson> = employee::repo::names(conn, &manager_ids)?
        .into_iter()
        .map(|(id, number, name)| {
            Ok((
                id.clone(),
                OrgPerson {
                    id: EmployeeId::from_db(&id)?,
                    number,
                    name,
                },
            ))
        })
        .collect::<Result<_, AppError>>()?;

    // Tree order: the roots (no parent, or a parent outside what is shown) by code, each
    // followed by its subtree.
    let shown: HashMap<&str, &DepartmentRow> =
        departments.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut children: HashMap<&str, Vec<&DepartmentRow>> = HashMap::new();
    let mut roots = Vec::new();
    for d in &departments {
        match d.parent_id.as_deref().filter(|p| shown.contains_key(p)) {
            Some(p) => children.entry(p).or_default().push(d),
            None => roots.push(d),
        }
    }
    let mut units = Vec::with_capacity(departments.len());
    let mut stack: Vec<(&DepartmentRow, i32)> = roots.into_iter().rev().map(|d| (d, 0)).collect();
    while let Some((d, depth)) = stack.pop() {
        let mine = members.remove(d.id.as_str()).unwrap_or_default();
        units.push(OrgUnit {
            id: DepartmentId::from_db(&d.id)?,
            code: d.code.clone(),
            name: d.name.clone(),
            branch_id: BranchId::from_db(&d.branch_id)?,
            parent_id: DepartmentId::from_db_opt(d.parent_id.as_deref())?,
            depth,
            manager: d.manager_id.as_ref().and_then(|m| managers.get(m)).cloned(),
            planned: planned.get(d.id.as_str()).copied().unwrap_or(0),
            filled: mine.len() as i64,
            members: mine,
        });
        if let Some(kids) = children.get(d.id.as_str()) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    Ok(OrgChart { at, units })
}
