//! Interactions: calls, meetings, e-mails, notes, visits; each with its minimum record.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{PartnerId, UserId};
use erp_core::pagination::ListParams;

use super::dto::*;
use super::repo;
use crate::access;
use crate::customer::{repo as customer_repo, service as customer};
use crate::error::CrmError;
use crate::ids::{ContactId, DealId, InteractionId};
use crate::model::{InteractionRow, OutcomeRow};

/// The outcomes every company starts with.
const DEFAULT_OUTCOMES: [(&str, &str); 4] = [
    ("accepted", "Accepted"),
    ("done", "Done"),
    ("call_back", "Call back"),
    ("not_interested", "Not interested"),
];

/// The company's call outcomes, seeded with the defaults on first use.
pub fn outcomes(conn: &mut DbConnection, company_id: &str) -> Result<Vec<OutcomeRow>, AppError> {
    let mut list = repo::outcomes(conn, company_id)?;
    if list.is_empty() {
        for (code, label) in DEFAULT_OUTCOMES {
            repo::save_outcome(
                conn,
                &OutcomeRow {
                    id: new_id(),
                    company_id: company_id.to_string(),
                    code: code.into(),
                    label: label.into(),
                    active: true,
                },
            )?;
        }
        list = repo::outcomes(conn, company_id)?;
    }
    Ok(list)
}

pub fn list_outcomes(conn: &mut DbConnection, actor: &Actor) -> Result<CallOutcomeList, AppError> {
    actor.require(access::READ)?;
    let list = write_tx(conn, |conn| outcomes(conn, &actor.company_id.to_db()))?;
    Ok(CallOutcomeList {
        items: list
            .into_iter()
            .map(|o| CallOutcome {
                code: o.code,
                label: o.label,
                active: o.active,
            })
            .collect(),
    })
}

/// Adds an outcome or changes one (by code).
pub fn save_outcome(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CallOutcomeRequest,
) -> Result<CallOutcomeList, AppError> {
    actor.require(access::CONFIGURE)?;
    let mut v = Validator::new();
    access::check_config_code(&mut v, &req.code);
    v.text("label", &req.label, 100);
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        outcomes(conn, &company)?;
        repo::save_outcome(
            conn,
            &OutcomeRow {
                id: new_id(),
                company_id: company.clone(),
                code: req.code.clone(),
                label: req.label.trim().to_string(),
                active: req.active.unwrap_or(true),
            },
        )?;
        audit::record(
            conn,
            actor,
            "call_outcome",
            &req.code,
            Change::Action("save", Some(&req.label)),
        )?;
        Ok::<_, AppError>(())
    })?;
    list_outcomes(conn, actor)
}

pub fn to_response(i: &InteractionRow) -> Result<InteractionResponse, AppError> {
    Ok(InteractionResponse {
        id: InteractionId::from_db(&i.id)?,
        customer_id: PartnerId::from_db(&i.customer_id)?,
        kind: enum_from_db(&i.kind)?,
        occurred_at: i.occurred_at.and_utc(),
        user_id: UserId::from_db(&i.user_id)?,
        contact_id: ContactId::from_db_opt(i.contact_id.as_deref())?,
        direction: i.direction.as_deref().map(enum_from_db).transpose()?,
        duration_seconds: i.duration_seconds,
        outcome: i.outcome.clone(),
        topic: i.topic.clone(),
        result: i.result.clone(),
        body: i.body.clone(),
        deal_id: DealId::from_db_opt(i.deal_id.as_deref())?,
        created_at: i.created_at.and_utc(),
    })
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// Checks the minimum record of each kind; every missing field is named. A meeting (or visit)
/// needs its date, the person met and its topic; one planned for later may come without its
/// result, which is recorded afterwards (`record_result`); until then it counts as a meeting
/// without result in the managers' data quality once its time has passed.
fn check_minimum(v: &mut Validator, req: &CreateInteractionRequest) {
    let planned = req.occurred_at.is_some_and(|t| t.naive_utc() > now());
    let need =
        |v: &mut Validator, missing: bool, field: &str, what: &str| v.check(!missing, field, what);
    match req.kind {
        InteractionKind::Call => {
            need(
                v,
                req.direction.is_none(),
                "direction",
                "a call needs its direction (inbound or outbound)",
            );
            need(
                v,
                req.duration_seconds.is_none(),
                "duration_seconds",
                "a call needs its duration",
            );
            need(
                v,
                blank(&req.outcome),
                "outcome",
                "a call needs its outcome",
            );
        }
        InteractionKind::Meeting | InteractionKind::Visit => {
            need(
                v,
                req.occurred_at.is_none(),
                "occurred_at",
                "a meeting needs its date, planned or held",
            );
            need(
                v,
                req.contact_id.is_none(),
                "contact_id",
                "a meeting needs the person met",
            );
            need(v, blank(&req.topic), "topic", "a meeting needs its topic");
            need(
                v,
                blank(&req.result) && !planned,
                "result",
                "a meeting that took place needs its result",
            );
        }
        InteractionKind::Email => {
            need(v, blank(&req.topic), "topic", "an e-mail needs its subject")
        }
        InteractionKind::Note => need(v, blank(&req.body), "body", "a note needs its text"),
    }
    if let Some(d) = req.duration_seconds {
        v.check(
            (0..=86_400).contains(&d),
            "duration_seconds",
            "must be between 0 and 86400",
        );
    }
    v.opt_text("topic", req.topic.as_deref(), 500);
    v.opt_text("result", req.result.as_deref(), 5000);
    v.opt_text("body", req.body.as_deref(), 20_000);
}

/// Logs an interaction on a customer in one request; the card's last contact moves with it.
pub fn create_interaction(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: PartnerId,
    req: CreateInteractionRequest,
) -> Result<InteractionResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    check_minimum(&mut v, &req);
    v.finish()?;
    write_tx(conn, |conn| {
        let c = customer::load_writable(conn, actor, &customer_id.to_string())?;
        if let Some(o) = &req.outcome {
            let known = outcomes(conn, &c.company_id)?
                .into_iter()
                .any(|x| x.active && &x.code == o);
            if !known {
                return Err(AppError::field(
                    "outcome",
                    "is not one of the configured call outcomes",
                ));
            }
        }
        if let Some(k) = req.contact_id {
            let ok = customer_repo::find_contact(conn, &k.to_string())?
                .is_some_and(|k| k.customer_id == c.partner_id && k.removed_at.is_none());
            if !ok {
                return Err(AppError::field(
                    "contact_id",
                    "is not a contact person of this customer",
                ));
            }
        }
        if let Some(d) = req.deal_id {
            let ok = crate::deal::repo::find(conn, &d.to_string(), &c.company_id)?
                .is_some_and(|d| d.customer_id == c.partner_id);
            if !ok {
                return Err(AppError::field("deal_id", "is not a deal of this customer"));
            }
        }
        let at = now();
        let occurred = req.occurred_at.map(|t| t.naive_utc()).unwrap_or(at);
        let row = InteractionRow {
            id: new_id(),
            company_id: c.company_id.clone(),
            customer_id: c.partner_id.clone(),
            kind: enum_to_db(&req.kind),
            occurred_at: occurred,
            user_id: actor.user_id.to_db(),
            contact_id: req.contact_id.map(|k| k.to_string()),
            direction: req.direction.map(|d| enum_to_db(&d)),
            duration_seconds: req.duration_seconds,
            outcome: req.outcome.clone(),
            topic: req.topic.clone(),
            result: req.result.clone(),
            body: req.body.clone(),
            deal_id: req.deal_id.map(|d| d.to_string()),
            created_at: at,
        };
        record(conn, actor, &row)
    })
}

/// Keeps an interaction however it came (logged by a manager, reported by the telephony
/// system, received by e-mail): the row, the customer's last contact when it has taken
/// place, the audit entry and the `interaction.created` event.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &InteractionRow,
) -> Result<InteractionResponse, AppError> {
    repo::insert(conn, row)?;
    if row.occurred_at <= row.created_at {
        customer_repo::touch_contact(conn, &row.customer_id, row.occurred_at)?;
    }
    let out = to_response(row)?;
    audit::record(conn, actor, "interaction", &row.id, Change::Created(&out))?;
    crate::webhook::service::emit(conn, &row.company_id, "interaction.created", &out)?;
    Ok(out)
}

pub fn list_interactions(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: PartnerId,
    params: &ListParams,
    q: InteractionListQuery,
) -> Result<InteractionPage, AppError> {
    let c = customer::load_readable(conn, actor, customer_id)?;
    let page = params.validate()?;
    let rows = repo::list(conn, &c.partner_id, q.kind.map(|k| enum_to_db(&k)), &page)?;
    let (rows, next_cursor) = page.finish(rows, |i| &i.id);
    let items = rows.iter().map(to_response).collect::<Result<_, _>>()?;
    Ok(InteractionPage { items, next_cursor })
}

/// Records the result of a meeting or visit entered without one (planned ahead).
pub fn record_result(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InteractionId,
    req: MeetingResultRequest,
) -> Result<InteractionResponse, AppError> {
    actor.require(access::WRITE)?;
    let mut v = Validator::new();
    v.text("result", &req.result, 5000);
    v.finish()?;
    write_tx(conn, |conn| {
        let mut row = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound("interaction"))?;
        customer::load_writable(conn, actor, &row.customer_id)
            .map_err(|_| AppError::NotFound("interaction"))?;
        if !matches!(row.kind.as_str(), "meeting" | "visit") || row.result.is_some() {
            return Err(CrmError::ResultNotExpected.into());
        }
        row.result = Some(req.result.trim().to_string());
        repo::set_result(conn, &row.id, row.result.as_deref())?;
        if row.occurred_at <= now() {
            customer_repo::touch_contact(conn, &row.customer_id, row.occurred_at)?;
        }
        let out = to_response(&row)?;
        audit::record(
            conn,
            actor,
            "interaction",
            &row.id,
            Change::Action("result", Some(&out)),
        )?;
        Ok(out)
    })
}
