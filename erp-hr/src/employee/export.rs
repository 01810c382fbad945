//! Employees as CSV in the columns the employee import reads, for moving staff to another
//! company or system: the people employed today, each manager before their reports.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::write_table;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::pagination::every_page;
use erp_core::partner::dto::ContactPointDto;
use erp_core::partner::service::get_partner_unchecked;

use super::dto::{EmployeeListQuery, EmployeeResponse};
use super::import::COLUMNS;
use super::{contract, repo, service};
use crate::ids::EmployeeId;
use crate::{calendar, department, position};

/// Ids to codes of one kind of record.
fn codes<I: std::hash::Hash + Eq>(pairs: Vec<(String, I)>) -> HashMap<I, String> {
    pairs.into_iter().map(|(code, id)| (id, code)).collect()
}

/// The employees employed today whom the actor sees, in the order the import needs them.
fn employed(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<EmployeeResponse>, AppError> {
    let all = every_page(|params| {
        let q = EmployeeListQuery {
            employed: Some(true),
            ..EmployeeListQuery::default()
        };
        let page = service::list_employees(conn, actor, params, q)?;
        Ok((page.items, page.next_cursor))
    })?;
    // Each manager before their reports (the import finds a manager hired earlier in the
    // file): depth first from those whose manager is not in the file, in hiring order.
    let listed: HashMap<_, _> = all.iter().map(|e| (e.id, ())).collect();
    let mut reports: HashMap<_, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, e) in all.iter().enumerate() {
        match e.manager_id.filter(|m| listed.contains_key(m)) {
            Some(m) => reports.entry(m).or_default().push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(all.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(reports.get(&all[i].id).into_iter().flatten().rev());
    }
    let mut slots: Vec<Option<EmployeeResponse>> = all.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// The people employed today whom the actor sees, as CSV in the columns
/// `POST /hr/import/employees` reads. Departments, positions, calendars and pay structures by
/// code, managers by number; birth date, bank account and the contract in force only where
/// the actor may see them (HR of the employee's branch).
pub fn export_employees(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<u8>, AppError> {
    let company = actor.company_id;
    let departments = codes(department::repo::ids_by_code(conn, company)?);
    let positions = codes(position::repo::ids_by_code(conn, company)?);
    let calendars = codes(calendar::repo::ids_by_code(conn, company)?);
    let structures = codes(contract::repo::pay_structures_by_code(conn, company)?);
    let people = employed(conn, actor)?;
    let mut numbers: HashMap<EmployeeId, String> =
        people.iter().map(|e| (e.id, e.number.clone())).collect();
    fn code<I: std::hash::Hash + Eq>(map: &HashMap<I, String>, id: Option<I>) -> String {
        id.and_then(|id| map.get(&id).cloned()).unwrap_or_default()
    }
    let text = |x: Option<String>| x.unwrap_or_default();
    let mut rows = Vec::with_capacity(people.len());
    for e in &people {
        let person = get_partner_unchecked(conn, company, e.partner_id)?;
        let manager = match e.manager_id {
            Some(m) if !numbers.contains_key(&m) => {
                let number = repo::find(conn, company, m)?.map(|(row, _)| row.number);
                numbers.insert(m, number.unwrap_or_default());
                Some(m)
            }
            m => m,
        };
        let secret = e.confidential.as_ref();
        let contract = secret.and_then(|s| s.contract.as_ref());
        rows.push(vec![
            e.number.clone(),
            person.first_name.clone().unwrap_or_else(|| e.name.clone()),
            text(person.last_name.clone()),
            ContactPointDto::primary_of(&person.emails).unwrap_or_default(),
            ContactPointDto::primary_of(&person.phones).unwrap_or_default(),
            code(&departments, Some(e.department_id)),
            code(&positions, e.position_id),
            code(&numbers, manager),
            e.hired_on.to_string(),
            code(&calendars, e.calendar_id),
            text(secret.and_then(|s| s.birth_date).map(|d| d.to_string())),
            text(secret.and_then(|s| s.bank_account.clone())),
            text(contract.map(|c| enum_to_db(&c.kind))),
            text(contract.and_then(|c| c.ends_on).map(|d| d.to_string())),
            text(
                contract
                    .and_then(|c| c.probation_ends_on)
                    .map(|d| d.to_string()),
            ),
            text(contract.map(|c| c.hours_per_week.to_string())),
            text(contract.map(|c| c.pay_basis.to_string())),
            text(contract.map(|c| c.pay_rate.to_string())),
            text(contract.map(|c| c.currency.clone())),
            code(&structures, contract.and_then(|c| c.pay_structure_id)),
        ]);
    }
    write_table(COLUMNS, rows)
}
