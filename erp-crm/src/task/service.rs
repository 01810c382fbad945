//! Tasks assigned to users, with due times and priority; overdue and due-soon lists.

use chrono::Duration;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{PartnerId, UserId};
use erp_core::pagination::PageParams;

use super::dto::*;
use super::repo;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::ids::{DealId, TaskId};
use crate::model::TaskRow;

const ENTITY: &str = "task";

pub fn to_response(t: &TaskRow) -> Result<TaskResponse, AppError> {
    Ok(TaskResponse {
        id: TaskId::from_db(&t.id)?,
        title: t.title.clone(),
        notes: t.notes.clone(),
        due_at: t.due_at.and_utc(),
        priority: enum_from_db(&t.priority)?,
        status: t.status,
        assignee_id: UserId::from_db(&t.assignee_id)?,
        customer_id: PartnerId::from_db_opt(t.customer_id.as_deref())?,
        deal_id: DealId::from_db_opt(t.deal_id.as_deref())?,
        overdue: t.status == TaskStatus::Open && t.due_at < now(),
        done_at: t.done_at.map(|d| d.and_utc()),
        created_by: UserId::from_db(&t.created_by)?,
        version: t.version,
        created_at: t.created_at.and_utc(),
        updated_at: t.updated_at.and_utc(),
    })
}

/// Announces the open tasks that fell due (`task.due` to the webhooks), each once. Returns
/// how many were announced.
pub fn announce_due(conn: &mut DbConnection) -> Result<usize, AppError> {
    let at = now();
    let mut announced = 0;
    for t in repo::unannounced_due_tasks(conn, at)? {
        write_tx(conn, |conn| {
            if repo::mark_reminded(conn, &t.id, at)? {
                crate::webhook::service::emit(conn, &t.company_id, "task.due", &to_response(&t)?)?;
                announced += 1;
            }
            Ok::<_, AppError>(())
        })?;
    }
    Ok(announced)
}

pub fn create_task(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateTaskRequest,
) -> Result<TaskResponse, AppError> {
    actor.require(access::TASKS)?;
    let mut v = Validator::new();
    v.text("title", &req.title, 200);
    v.opt_text("notes", req.notes.as_deref(), 5000);
    v.finish()?;
    if let Some(a) = req.assignee_id {
        if !access::reaches_user(conn, actor, &a.to_string())? {
            return Err(AppError::Forbidden(
                "only crm.all or the assignee's team lead may assign tasks to others".into(),
            ));
        }
    }
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let assignee = match req.assignee_id {
            Some(a) => access::check_user(conn, actor, a, "assignee_id")?,
            None => actor.user_id.to_db(),
        };
        let customer_id = match req.customer_id {
            Some(c) => {
                let row = customer_repo::find(conn, &c.to_string(), &company)?;
                Some(
                    access::readable(conn, actor, row)
                        .map_err(|_| AppError::field("customer_id", "no such customer of yours"))?
                        .partner_id,
                )
            }
            None => None,
        };
        let deal_id = match req.deal_id {
            Some(d) => Some(
                repo::deal_of_company(conn, &d.to_string(), &company)?
                    .ok_or_else(|| AppError::field("deal_id", "no such deal"))?,
            ),
            None => None,
        };
        let t = new_task(
            &company,
            &req.title,
            req.notes.clone(),
            req.due_at.naive_utc(),
            req.priority.unwrap_or(Priority::Normal),
            &assignee,
            customer_id,
            deal_id,
            &actor.user_id.to_db(),
        );
        repo::insert(conn, &t)?;
        let out = to_response(&t)?;
        audit::record(conn, actor, ENTITY, &t.id, Change::Created(&out))?;
        crate::webhook::service::emit(conn, &t.company_id, "task.created", &out)?;
        Ok(out)
    })
}

/// A new open task (also what automation rules create).
#[allow(clippy::too_many_arguments)]
pub fn new_task(
    company: &str,
    title: &str,
    notes: Option<String>,
    due: chrono::NaiveDateTime,
    priority: Priority,
    assignee: &str,
    customer_id: Option<String>,
    deal_id: Option<String>,
    created_by: &str,
) -> TaskRow {
    let at = now();
    TaskRow {
        id: new_id(),
        company_id: company.to_string(),
        customer_id,
        deal_id,
        assignee_id: assignee.to_string(),
        title: title.trim().to_string(),
        notes,
        due_at: due,
        rule_id: None,
        reminded_at: None,
        priority: enum_to_db(&priority),
        status: TaskStatus::Open,
        done_at: None,
        created_by: created_by.to_string(),
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

pub fn list_tasks(
    conn: &mut DbConnection,
    actor: &Actor,
    q: TaskListQuery,
    page: PageParams,
) -> Result<TaskList, AppError> {
    actor.require(access::READ)?;
    let page = page.validate()?;
    access::user_filter(conn, actor, q.assignee_id)?;
    access::customer_filter(conn, actor, q.customer_id)?;
    let me = actor.user_id.to_db();
    let assignee = q
        .assignee_id
        .map(|a| a.to_string())
        .unwrap_or_else(|| me.clone());
    if !access::reaches_user(conn, actor, &assignee)? {
        return Err(AppError::Forbidden(
            "only crm.all or their team lead may see other users' tasks".into(),
        ));
    }
    let hours = q.hours.unwrap_or(24);
    if !(1..=720).contains(&hours) {
        return Err(AppError::field("hours", "must be between 1 and 720"));
    }
    let at = now();
    // Due soon: not overdue yet.
    let window = match q.view.unwrap_or(TaskView::Open) {
        TaskView::Overdue => (None, Some(at)),
        TaskView::DueSoon => (Some(at), Some(at + Duration::hours(hours))),
        TaskView::Open => (None, None),
    };
    let rows = repo::open(
        conn,
        &actor.company_id.to_db(),
        Some(&assignee),
        q.customer_id.map(|c| c.to_string()).as_deref(),
        window,
        &page,
    )?;
    let (rows, next_cursor) = page.finish(rows, |t: &TaskRow| (t.due_at, t.id.as_str()));
    Ok(TaskList {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// `complete` or `cancel` an open task of the caller's (any task with `crm.all`).
pub fn finish(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TaskId,
    action: &'static str,
) -> Result<TaskResponse, AppError> {
    actor.require(access::TASKS)?;
    write_tx(conn, |conn| {
        let mut t = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound(ENTITY))?;
        if t.created_by != actor.user_id.to_db()
            && !access::reaches_user(conn, actor, &t.assignee_id)?
        {
            return Err(AppError::NotFound(ENTITY));
        }
        if t.status != TaskStatus::Open {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action,
                current: t.status.to_string(),
            });
        }
        let expected = t.version;
        t.status = if action == "complete" {
            TaskStatus::Done
        } else {
            TaskStatus::Cancelled
        };
        t.done_at = Some(now());
        t.version += 1;
        t.updated_at = now();
        if !repo::finish(conn, &t, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        let out = to_response(&t)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &t.id,
            Change::Action(action, Some(&out)),
        )?;
        Ok(out)
    })
}
