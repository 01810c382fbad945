use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    crm_assignment as asg, crm_customers as cu, crm_deals as dl, crm_rules as rl, crm_tasks as tk,
};
use erp_core::db::DbConnection;

use crate::model::{AssignmentRow, CustomerRow, RuleRow};
use crate::states::{CustomerStatus, DealStatus, TaskStatus};

pub fn rules(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<RuleRow>> {
    rl::table
        .filter(rl::company_id.eq(company_id))
        .order(rl::created_at)
        .select(RuleRow::as_select())
        .load(conn)
}

pub fn active_rules(
    conn: &mut DbConnection,
    company_id: &str,
    trigger: &str,
) -> QueryResult<Vec<RuleRow>> {
    rl::table
        .filter(rl::company_id.eq(company_id))
        .filter(rl::trigger_kind.eq(trigger))
        .filter(rl::active.eq(true))
        .order(rl::created_at)
        .select(RuleRow::as_select())
        .load(conn)
}

pub fn insert_rule(conn: &mut DbConnection, r: &RuleRow) -> QueryResult<()> {
    diesel::insert_into(rl::table)
        .values(r)
        .execute(conn)
        .map(|_| ())
}

pub fn deactivate_rule(conn: &mut DbConnection, id: &str, company_id: &str) -> QueryResult<bool> {
    diesel::update(rl::table.find(id).filter(rl::company_id.eq(company_id)))
        .set(rl::active.eq(false))
        .execute(conn)
        .map(|n| n == 1)
}

/// Customers whose last contact (or creation, never contacted) is before `before`, still in
/// play, without an open task of the rule.
pub fn quiet_customers(
    conn: &mut DbConnection,
    company_id: &str,
    before: NaiveDateTime,
    rule_id: &str,
) -> QueryResult<Vec<CustomerRow>> {
    let with_task = tk::table
        .filter(tk::rule_id.eq(rule_id))
        .filter(tk::status.eq(TaskStatus::Open))
        .filter(tk::customer_id.is_not_null())
        .select(tk::customer_id.assume_not_null());
    cu::table
        .filter(cu::company_id.eq(company_id))
        .filter(diesel::dsl::not(
            cu::status.eq_any([CustomerStatus::Lost, CustomerStatus::Inactive]),
        ))
        .filter(
            cu::last_contact_at
                .lt(before)
                .or(cu::last_contact_at.is_null().and(cu::created_at.lt(before))),
        )
        .filter(diesel::dsl::not(cu::partner_id.eq_any(with_task)))
        .select(CustomerRow::as_select())
        .load(conn)
}

pub fn assignment(conn: &mut DbConnection, company_id: &str) -> QueryResult<Option<AssignmentRow>> {
    asg::table
        .find(company_id)
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn save_assignment(conn: &mut DbConnection, a: &AssignmentRow) -> QueryResult<()> {
    let n = diesel::update(asg::table.find(&a.company_id))
        .set((
            asg::strategy.eq(&a.strategy),
            asg::members.eq(&a.members),
            asg::next_index.eq(a.next_index),
            asg::updated_at.eq(a.updated_at),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(asg::table).values(a).execute(conn)?;
    }
    Ok(())
}

/// Open deals and open tasks of a user: the load the least-loaded strategy compares.
pub fn load_of(conn: &mut DbConnection, company_id: &str, user_id: &str) -> QueryResult<i64> {
    let deals: i64 = dl::table
        .filter(dl::company_id.eq(company_id))
        .filter(dl::owner_id.eq(user_id))
        .filter(dl::status.eq(DealStatus::Open))
        .count()
        .get_result(conn)?;
    let tasks: i64 = tk::table
        .filter(tk::company_id.eq(company_id))
        .filter(tk::assignee_id.eq(user_id))
        .filter(tk::status.eq(TaskStatus::Open))
        .count()
        .get_result(conn)?;
    Ok(deals + tasks)
}

/// (owner, customers) of the company.
pub fn customers_per_owner(
    conn: &mut DbConnection,
    company_id: &str,
) -> QueryResult<Vec<Option<String>>> {
    cu::table
        .filter(cu::company_id.eq(company_id))
        .select(cu::owner_id)
        .load(conn)
}

/// (owner, value) of open deals.
pub fn open_deals(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<(String, i64)>> {
    dl::table
        .filter(dl::company_id.eq(company_id))
        .filter(dl::status.eq(DealStatus::Open))
        .select((dl::owner_id, dl::value))
        .load(conn)
}

/// (assignee, due) of open tasks.
pub fn open_tasks(
    conn: &mut DbConnection,
    company_id: &str,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    tk::table
        .filter(tk::company_id.eq(company_id))
        .filter(tk::status.eq(TaskStatus::Open))
        .select((tk::assignee_id, tk::due_at))
        .load(conn)
}

pub fn customers_of(
    conn: &mut DbConnection,
    company_id: &str,
    owner: &str,
) -> QueryResult<Vec<CustomerRow>> {
    cu::table
        .filter(cu::company_id.eq(company_id))
        .filter(cu::owner_id.eq(owner))
        .select(CustomerRow::as_select())
        .load(conn)
}

pub fn set_owner(
    conn: &mut DbConnection,
    customer_id: &str,
    owner: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(cu::table.find(customer_id))
        .set((
            cu::owner_id.eq(owner),
            cu::version.eq(cu::version + 1),
            cu::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves a leaving manager's open deals and open tasks of a customer to its new owner.
pub fn move_open_work(
    conn: &mut DbConnection,
    customer_id: &str,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<(usize, usize)> {
    let deals = diesel::update(
        dl::table
            .filter(dl::customer_id.eq(customer_id))
            .filter(dl::owner_id.eq(from))
            .filter(dl::status.eq(DealStatus::Open)),
    )
    .set((
        dl::owner_id.eq(to),
        dl::version.eq(dl::version + 1),
        dl::updated_at.eq(at),
    ))
    .execute(conn)?;
    let tasks = diesel::update(
        tk::table
            .filter(tk::customer_id.eq(customer_id))
            .filter(tk::assignee_id.eq(from))
            .filter(tk::status.eq(TaskStatus::Open)),
    )
    .set((
        tk::assignee_id.eq(to),
        tk::version.eq(tk::version + 1),
        tk::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok((deals, tasks))
}
