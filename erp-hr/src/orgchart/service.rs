//! Builds the org chart from three reads: departments, their positions, their people.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::org::branch;

use super::dto::*;
use crate::department::model::DepartmentRow;
use crate::department::service::READ;
use crate::ids::{DepartmentId, EmployeeId, PositionId};
use crate::{department, employee, position, wire};

pub fn org_chart(
    conn: &mut DbConnection,
    actor: &Actor,
    q: OrgChartQuery,
) -> Result<OrgChart, AppError> {
    actor.require(READ)?;
    let at = wire::today();
    let company = actor.company_id;
    let mut branches = actor.visible_branches();
    if let Some(b) = q.branch_id {
        branch::service::load_visible(conn, actor, b)?;
        branches = Some(vec![b]);
    }
    let departments: Vec<DepartmentRow> =
        department::repo::all(conn, company, branches.as_deref())?
            .into_iter()
            .filter(|d| d.active)
            .collect();
    let ids: Vec<_> = departments.iter().map(|d| d.id).collect();

    let positions = position::repo::of_departments(conn, &ids)?;
    let titles: HashMap<PositionId, &str> =
        positions.iter().map(|p| (p.id, p.title.as_str())).collect();
    let mut planned: HashMap<DepartmentId, i64> = HashMap::new();
    for p in positions.iter().filter(|p| p.active) {
        *planned.entry(p.department_id).or_default() += i64::from(p.headcount);
    }
    let people = employee::repo::current_in_departments(conn, &ids, at)?;
    let mut members: HashMap<DepartmentId, Vec<OrgMember>> = HashMap::new();
    for (e, name) in &people {
        members.entry(e.department_id).or_default().push(OrgMember {
            id: e.id,
            number: e.number.clone(),
            name: name.clone(),
            position: e
                .position_id
                .and_then(|p| titles.get(&p))
                .map(|t| t.to_string()),
            manager_id: e.manager_id,
        });
    }
    let manager_ids: Vec<EmployeeId> = departments.iter().filter_map(|d| d.manager_id).collect();
    let managers: HashMap<EmployeeId, OrgPerson> = employee::repo::names(conn, &manager_ids)?
        .into_iter()
        .map(|(id, number, name)| (id, OrgPerson { id, number, name }))
        .collect();

    // Tree order: the roots (no parent, or a parent outside what is shown) by code, each
    // followed by its subtree.
    let shown: HashMap<DepartmentId, &DepartmentRow> =
        departments.iter().map(|d| (d.id, d)).collect();
    let mut children: HashMap<DepartmentId, Vec<&DepartmentRow>> = HashMap::new();
    let mut roots = Vec::new();
    for d in &departments {
        match d.parent_id.filter(|p| shown.contains_key(p)) {
            Some(p) => children.entry(p).or_default().push(d),
            None => roots.push(d),
        }
    }
    let mut units = Vec::with_capacity(departments.len());
    let mut stack: Vec<(&DepartmentRow, i32)> = roots.into_iter().rev().map(|d| (d, 0)).collect();
    while let Some((d, depth)) = stack.pop() {
        let mine = members.remove(&d.id).unwrap_or_default();
        units.push(OrgUnit {
            id: d.id,
            code: d.code.clone(),
            name: d.name.clone(),
            branch_id: d.branch_id,
            parent_id: d.parent_id,
            depth,
            manager: d.manager_id.as_ref().and_then(|m| managers.get(m)).cloned(),
            planned: planned.get(&d.id).copied().unwrap_or(0),
            filled: mine.len() as i64,
            members: mine,
        });
        if let Some(kids) = children.get(&d.id) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    Ok(OrgChart { at, units })
}
