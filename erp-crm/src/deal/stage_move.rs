//! A deal moving through the pipeline (to a stage, won, lost) and a lead qualified into a
//! deal.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::PartnerId;

use super::dto::*;
use super::repo::{self};
use super::service::*;
use crate::access;
use crate::customer::{repo as customer_repo, service as customer};
use crate::error::CrmError;
use crate::ids::{DealId, StageId};
use crate::model::DealStageRow;
use crate::stage::{self, dto::StageKind};
use crate::states::CustomerStatus;

/// Moves an open deal to another stage (`move`), or closes it as won or lost.
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DealId,
    action: &'static str,
    stage: Option<StageId>,
    reason: Option<String>,
) -> Result<DealResponse, AppError> {
    if action == "lose" && reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(AppError::field("reason", "a lost deal needs its reason"));
    }
    write_tx(conn, |conn| {
        let mut d = load_writable(conn, actor, &id.to_string())?;
        if d.status != DealStatus::Open {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action,
                current: d.status.to_string(),
            });
        }
        let all = stage::service::stages(conn, &d.company_id)?;
        let target = match action {
            "move" => all
                .iter()
                .find(|s| {
                    Some(s.id.clone()) == stage.map(|x| x.to_string()) && s.kind == StageKind::Open
                })
                .ok_or_else(|| AppError::field("stage_id", "no such open stage"))?,
            "win" => all
                .iter()
                .find(|s| s.kind == StageKind::Won)
                .ok_or(CrmError::NoStage("won"))?,
            _ => all
                .iter()
                .find(|s| s.kind == StageKind::Lost)
                .ok_or(CrmError::NoStage("lost"))?,
        };
        if target.id == d.stage_id {
            return Err(CrmError::SameStage.into());
        }
        let at = now();
        let from = std::mem::replace(&mut d.stage_id, target.id.clone());
        let expected = d.version;
        match action {
            "win" => {
                d.status = DealStatus::Won;
                d.closed_at = Some(at);
            }
            "lose" => {
                d.status = DealStatus::Lost;
                d.closed_at = Some(at);
                d.lost_reason = reason.as_ref().map(|r| r.trim().to_string());
            }
            _ => {}
        }
        d.version += 1;
        d.updated_at = at;
        if !repo::update_versioned(conn, &d, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        repo::insert_change(
            conn,
            &DealStageRow {
                id: new_id(),
                deal_id: d.id.clone(),
                from_stage_id: Some(from),
                to_stage_id: d.stage_id.clone(),
                changed_at: at,
                user_id: actor.user_id.to_db(),
            },
        )?;
        crate::automation::service::on_stage_entered(conn, &d, &actor.user_id.to_db())?;
        if action == "win" {
            // A won deal makes the card a customer.
            if let Some(mut c) = customer_repo::find(conn, &d.customer_id, &d.company_id)? {
                if c.status != CustomerStatus::Customer {
                    let v = c.version;
                    c.status = CustomerStatus::Customer;
                    c.version += 1;
                    c.updated_at = at;
                    customer_repo::update_versioned(conn, &c, v)?;
                }
            }
        }
        let out = to_response(conn, &d)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &d.id,
            Change::Action(action, Some(&out)),
        )?;
        let event = match action {
            "win" => "deal.won",
            "lose" => "deal.lost",
            _ => "deal.stage_changed",
        };
        crate::webhook::service::emit(conn, &d.company_id, event, &out)?;
        Ok(out)
    })
}

/// A lead qualifies into a deal: the card becomes a prospect and the deal starts in the first
/// open stage (or the one given), in one request.
pub fn qualify(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: PartnerId,
    req: QualifyRequest,
) -> Result<DealResponse, AppError> {
    actor.require(access::DEALS)?;
    write_tx(conn, |conn| {
        let mut c = customer::load_writable(conn, actor, &customer_id.to_string())?;
        if c.status != CustomerStatus::Lead {
            return Err(AppError::InvalidState {
                entity: "customer",
                action: "qualify",
                current: c.status.to_string(),
            });
        }
        let expected = c.version;
        c.status = CustomerStatus::Prospect;
        c.version += 1;
        c.updated_at = now();
        if !customer_repo::update_versioned(conn, &c, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        create_deal(
            conn,
            actor,
            CreateDealRequest {
                customer_id,
                title: req.title,
                value: req.value,
                currency: req.currency,
                expected_close: req.expected_close,
                stage_id: req.stage_id,
                owner_id: None,
            },
        )
    })
}
