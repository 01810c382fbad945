//! Setting and resolving the accounts of automatic postings.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;

use super::dto::*;
use super::model::RuleRow;
use super::repo;
use crate::account;
use crate::account::dto::AccountType;
use crate::account::service::{READ, WRITE};
use crate::ids::AccountId;

/// The defaults the setup configures against the default chart: (event, account code).
pub const DEFAULTS: &[(PostingEvent, &str)] = &[
    (PostingEvent::StockInventory, "1300"),
    (PostingEvent::StockReceipt, "2100"),
    (PostingEvent::StockIssue, "5000"),
    (PostingEvent::StockAdjustment, "5200"),
    (PostingEvent::StockScrap, "5200"),
    (PostingEvent::SalesReceivable, "1200"),
    (PostingEvent::SalesRevenue, "4000"),
    (PostingEvent::PurchasePayable, "2000"),
    (PostingEvent::PurchaseExpense, "2100"),
    (PostingEvent::PurchasePriceDifference, "5100"),
    (PostingEvent::PaymentDiscountGranted, "6900"),
    (PostingEvent::PaymentDiscountReceived, "4900"),
    (PostingEvent::PaymentWriteOff, "6900"),
    (PostingEvent::ExchangeGain, "4800"),
    (PostingEvent::ExchangeLoss, "6800"),
    (PostingEvent::UnrealisedExchangeGain, "4800"),
    (PostingEvent::UnrealisedExchangeLoss, "6800"),
    (PostingEvent::ProductionWip, "1310"),
    (PostingEvent::ProductionAbsorption, "5400"),
    (PostingEvent::ProductionVariance, "5300"),
];

fn to_response(row: &RuleRow, code: &str) -> Result<AccountRuleResponse, AppError> {
    Ok(AccountRuleResponse {
        event: enum_from_db(&row.event)?,
        scope: enum_from_db(&row.scope_type)?,
        scope_id: (!row.scope_id.is_empty())
            .then(|| erp_core::db::uuid_from_db(&row.scope_id))
            .transpose()?,
        account_id: row.account_id,
        account_code: code.to_string(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Configures the default of every event that has none yet (a company set up before an
/// event existed gets it from the next setup); returns how many it set.
pub fn insert_defaults(conn: &mut DbConnection, company_id: CompanyId) -> Result<usize, AppError> {
    let existing = repo::all_of(conn, company_id)?;
    let default_scope = enum_to_db(&RuleScope::Default);
    let mut n = 0;
    for (event, code) in DEFAULTS {
        let event_text = enum_to_db(event);
        if existing
            .iter()
            .any(|(r, _)| r.event == event_text && r.scope_type == default_scope)
        {
            continue;
        }
        if let Some(a) = account::repo::find_by_code(conn, company_id, code)? {
            repo::save(
                conn,
                &RuleRow {
                    company_id,
                    event: enum_to_db(event),
                    scope_type: enum_to_db(&RuleScope::Default),
                    scope_id: String::new(),
                    account_id: a.id,
                    updated_at: now(),
                },
            )?;
            n += 1;
        }
    }
    Ok(n)
}

pub fn set_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    req: SetAccountRuleRequest,
) -> Result<AccountRuleResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        match (req.scope, req.scope_id) {
            (RuleScope::Default, Some(_)) => v.add("scope_id", "a default rule names no scope"),
            (RuleScope::Warehouse | RuleScope::ItemCategory, None) => {
                v.add("scope_id", "name the warehouse or item category")
            }
            _ => {}
        }
        let acct = account::repo::find(conn, company, req.account_id)?;
        match &acct {
            None => v.add("account_id", "no such account in the company"),
            Some(a) if !a.active => v.add("account_id", "the account is inactive"),
            Some(a)
                if req.event == PostingEvent::StockInventory
                    && a.account_type != AccountType::Asset =>
            {
                v.add("account_id", "the stock account must be an asset account")
            }
            _ => {}
        }
        v.finish()?;
        let acct = acct.ok_or(AppError::NotFound("account"))?;
        let row = RuleRow {
            company_id: company,
            event: enum_to_db(&req.event),
            scope_type: enum_to_db(&req.scope),
            scope_id: req.scope_id.map(|u| u.to_string()).unwrap_or_default(),
            account_id: acct.id,
            updated_at: now(),
        };
        repo::save(conn, &row)?;
        let out = to_response(&row, &acct.code)?;
        let key = format!("{}:{}:{}", row.event, row.scope_type, row.scope_id);
        audit::record(
            conn,
            actor,
            "fin_account_rule",
            &key,
            Change::Action("set", Some(&out)),
        )?;
        Ok(out)
    })
}

pub fn list_rules(conn: &mut DbConnection, actor: &Actor) -> Result<AccountRuleList, AppError> {
    actor.require(READ)?;
    let rows = repo::all_of(conn, actor.company_id)?;
    Ok(AccountRuleList {
        items: rows
            .iter()
            .map(|(r, code)| to_response(r, code))
            .collect::<Result<_, _>>()?,
    })
}

/// The account `event` posts to, the most specific rule first (`scopes` in order, then the
/// default). `None` when the company keeps no books here (it has no rules at all): then
/// nothing posts. Configured books without a rule for the event refuse it.
pub fn account_for(
    conn: &mut DbConnection,
    company_id: CompanyId,
    event: PostingEvent,
    scopes: &[(RuleScope, String)],
) -> Result<Option<AccountId>, AppError> {
    let event_text = enum_to_db(&event);
    // One query whether or not the company keeps books: its rules are few.
    let mut rules = repo::of_company(conn, company_id)?;
    if rules.is_empty() {
        return Ok(None);
    }
    rules.retain(|r| r.event == event_text);
    let wanted = scopes
        .iter()
        .map(|(s, id)| (enum_to_db(s), id.clone()))
        .chain(std::iter::once((
            enum_to_db(&RuleScope::Default),
            String::new(),
        )));
    for (scope, id) in wanted {
        if let Some(r) = rules
            .iter()
            .find(|r| r.scope_type == scope && r.scope_id == id)
        {
            return Ok(Some(r.account_id));
        }
    }
    Err(AppError::Unprocessable {
        code: "posting_not_configured",
        detail: format!(
            "no account is configured for the event {event_text}; set one with \
             PUT /api/v1/finance/account-rules"
        ),
    })
}

/// The default account of `event` for documents that cannot post without one (invoices,
/// payments): a company without books is refused with 422 `posting_not_configured` too.
pub fn required_account(
    conn: &mut DbConnection,
    company_id: CompanyId,
    event: PostingEvent,
) -> Result<AccountId, AppError> {
    match account_for(conn, company_id, event, &[])? {
        Some(id) => Ok(id),
        None => Err(crate::error::FinanceError::NotConfigured(format!(
            "the company keeps no books yet: run POST /api/v1/finance/setup, or set the account of {} with PUT /api/v1/finance/account-rules",
            enum_to_db(&event)
        ))
        .into()),
    }
}
