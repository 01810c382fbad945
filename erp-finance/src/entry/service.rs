//! Journal entries through their life: built and checked, posted (number, period, balance
//! caches, all in one transaction), reversed, or deleted while still drafts. `record` is the
//! one function the API and every module that posts call, inside their own transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::{Actor, BranchScope};
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use erp_core::numbering::{next_number, next_numbers};
use erp_core::org::{branch, company};
use erp_core::pagination::ListParams;
use erp_core::partner;

use super::builder::BuiltLine;
use super::dto::*;
use super::model::{EntryLineRow, EntryRow};
use super::repo::{self, EntryFilter};
use crate::account;
use crate::currency::{fits_minor_unit, minor_unit};
use crate::error::FinanceError;
use crate::ids::{AccountId, EntryId, JournalId, PeriodId};
use crate::journal;
use crate::journal::model::JournalRow;
use crate::period;

const ENTITY: &str = "fin_entry";
pub const READ: &str = "finance.entry.read";
pub const WRITE: &str = "finance.entry.write";
pub const POST: &str = "finance.entry.post";

/// Refuses a document of another module in another currency than the company's (422 on
/// `currency`): documents in other currencies wait for currency support.
pub fn require_company_currency(
    conn: &mut DbConnection,
    company_id: &str,
    currency: &str,
    what: &str,
) -> Result<(), AppError> {
    let company = company_currency(conn, company_id)?;
    if currency == company {
        return Ok(());
    }
    Err(AppError::field(
        "currency",
        format!("the {what} is in {currency}; finance documents are in the company's currency, {company}"),
    ))
}

/// Reverses the entry of a document being cancelled (`entry_id` its posted entry), dated
/// `date`, described as the cancellation of `number`.
pub fn reverse_document(
    conn: &mut DbConnection,
    actor: &Actor,
    entry_id: Option<&str>,
    date: NaiveDate,
    number: Option<&str>,
) -> Result<EntryResponse, AppError> {
    let entry = entry_id
        .map(EntryId::from_db)
        .transpose()?
        .ok_or_else(|| AppError::Internal("a posted document without an entry".into()))?;
    reverse(
        conn,
        actor,
        entry,
        Some(date),
        Some(format!("Cancellation of {}", number.unwrap_or_default())),
    )
}

pub fn company_currency(conn: &mut DbConnection, company_id: &str) -> Result<String, AppError> {
    Ok(company::repo::find(conn, company_id)?
        .ok_or(AppError::NotFound("company"))?
        .currency)
}

/// One side of a line as a scaled amount, checked: more than zero, whole minor units.
fn amount(
    v: &mut Validator,
    field: &str,
    value: Option<Money>,
    currency: &str,
    origin: Origin,
) -> Option<i64> {
    let value = value?;
    if value.value() <= rust_decimal::Decimal::ZERO {
        v.add(field, "must be more than zero");
        return None;
    }
    if origin == Origin::Api && !fits_minor_unit(value, currency) {
        v.add(
            field,
            format!(
                "has more than {} decimal places, finer than {currency}'s minor unit",
                minor_unit(currency)
            ),
        );
        return None;
    }
    value.to_scaled().ok()
}

/// A line's transaction currency and its amount in it (on the line's side), checked: both
/// or neither, a currency other than the company's, and (typed by a person) more than zero
/// in whole minor units of that currency.
fn line_currency(
    v: &mut Validator,
    i: usize,
    l: &EntryLineInput,
    company_currency: &str,
    origin: Origin,
) -> Option<(String, i64)> {
    let f = |name: &str| format!("lines[{i}].{name}");
    match (&l.currency, l.amount_in_currency) {
        (None, None) => None,
        (Some(_), None) => {
            v.add(
                f("amount_in_currency"),
                "give the amount in the line's currency",
            );
            None
        }
        (None, Some(_)) => {
            v.add(f("currency"), "name the currency of amount_in_currency");
            None
        }
        (Some(c), Some(a)) => {
            let before = v.len();
            erp_core::org::check_currency(v, &f("currency"), c);
            if c == company_currency {
                v.add(
                    f("currency"),
                    "is the company's currency: a line in it has its debit or credit alone",
                );
            }
            if origin == Origin::Api {
                amount(v, &f("amount_in_currency"), Some(a), c, origin);
            }
            match a.to_scaled() {
                Ok(scaled) if v.len() == before => Some((c.clone(), scaled)),
                _ => None,
            }
        }
    }
}

/// Where an entry comes from, which decides two checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Typed by a person through the API: amounts in whole minor units of the currency, and
    /// only branches the person may post to.
    Api,
    /// Made by a business event another module's service checked and authorised (a stock
    /// move of a document): amounts at the ledger's full precision (4 places, so the stock
    /// account equals the valuation to the last digit), any branch of the company.
    System,
}

/// Checks a new entry and builds its rows (a draft): every line names an active account of
/// the company, one side, a branch the actor may post to; debits equal credits exactly.
fn build(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateEntryRequest,
    origin: Origin,
) -> Result<(EntryRow, Vec<EntryLineRow>), AppError> {
    let company = actor.company_id.to_db();
    let currency = company_currency(conn, &company)?;
    let mut v = Validator::new();
    v.opt_text("description", req.description.as_deref(), 500);
    v.opt_text("reference_type", req.reference_type.as_deref(), 64);
    v.opt_text("reference_id", req.reference_id.as_deref(), 128);
    match journal::repo::find(conn, &company, &req.journal_id.to_db())? {
        Some(j) if j.active => {}
        _ => v.add("journal_id", "no such active journal in the company"),
    }
    if req.lines.len() < 2 {
        v.add("lines", "an entry needs at least two lines");
    }
    let account_ids: Vec<String> = req.lines.iter().map(|l| l.account_id.to_db()).collect();
    let accounts = account::repo::find_many(conn, &company, &account_ids)?;
    // Each branch and partner looked up once, not once a line (a pay run's entry has a
    // line for each of thousands of employees).
    let distinct = |ids: Vec<String>| -> Vec<String> {
        ids.into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let mut branches = HashSet::new();
    for b in distinct(
        req.lines
            .iter()
            .filter_map(|l| l.branch_id.map(BranchId::to_db))
            .collect(),
    ) {
        if branch::repo::exists_in_company(conn, &b, &company)? {
            branches.insert(b);
        }
    }
    let partners: HashSet<String> = partner::repo::existing_in_company(
        conn,
        &distinct(
            req.lines
                .iter()
                .filter_map(|l| l.partner_id.map(PartnerId::to_db))
                .collect(),
        ),
        &company,
    )?
    .into_iter()
    .collect();
    let id = req.id.unwrap_or_default().to_db();
    let (mut debit_total, mut credit_total) = (0i64, 0i64);
    let mut lines = Vec::with_capacity(req.lines.len());
    for (i, l) in req.lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let in_currency = line_currency(&mut v, i, l, &currency, origin);
        match accounts.iter().find(|a| a.id == l.account_id.to_db()) {
            None => v.add(f("account_id"), "no such account in the company"),
            Some(a) if !a.active => v.add(f("account_id"), "the account is inactive"),
            Some(a) => {
                // An account restricted to a currency takes lines in it: in the company's
                // currency alone, or carrying an amount in its foreign currency.
                let line = l.currency.as_deref().unwrap_or(&currency);
                match a.currency.as_deref() {
                    Some(only) if only != line && l.currency.is_some() => v.add(
                        f("currency"),
                        format!("the account takes only {only}; this line is in {line}"),
                    ),
                    Some(only) if only != line => v.add(
                        f("currency"),
                        format!(
                            "the account takes only {only}: give currency {only} and amount_in_currency"
                        ),
                    ),
                    _ => {}
                }
            }
        }
        let debit = amount(&mut v, &f("debit"), l.debit, &currency, origin);
        let credit = amount(&mut v, &f("credit"), l.credit, &currency, origin);
        if l.debit.is_some() == l.credit.is_some() {
            v.add(f("debit"), "give exactly one of debit and credit");
        }
        if let Some(b) = l.branch_id {
            if !branches.contains(&b.to_db()) || (origin == Origin::Api && !actor.sees_branch(&b)) {
                v.add(f("branch_id"), "no such branch, or not one you may post to");
            }
        }
        if let Some(p) = l.partner_id {
            if !partners.contains(&p.to_db()) {
                v.add(f("partner_id"), "no such business partner in the company");
            }
        }
        for (name, code) in [("cost_center", &l.cost_center), ("project", &l.project)] {
            if let Some(c) = code {
                v.code(&f(name), c, 32);
            }
        }
        v.opt_text(&f("description"), l.description.as_deref(), 500);
        let (debit, credit) = (debit.unwrap_or(0), credit.unwrap_or(0));
        match (
            debit_total.checked_add(debit),
            credit_total.checked_add(credit),
        ) {
            (Some(d), Some(c)) => (debit_total, credit_total) = (d, c),
            _ => v.add(f("debit"), "the entry's total is too large to store"),
        }
        lines.push(EntryLineRow {
            id: erp_core::db::new_id(),
            entry_id: id.clone(),
            line_no: i as i32 + 1,
            account_id: l.account_id.to_db(),
            debit,
            credit,
            branch_id: l.branch_id.map(BranchId::to_db),
            cost_center: l.cost_center.clone(),
            project: l.project.clone(),
            partner_id: l.partner_id.map(PartnerId::to_db),
            description: l.description.clone(),
            currency: in_currency.as_ref().map(|c| c.0.clone()),
            // Signed like the line: debit positive.
            amount_currency: in_currency.map(|c| if debit > 0 { c.1 } else { -c.1 }),
        });
    }
    v.finish()?;
    if debit_total != credit_total {
        let m = |x: i64| Money::from_scaled(x).to_string();
        return Err(FinanceError::Unbalanced {
            debit: m(debit_total),
            credit: m(credit_total),
            difference: Money::from_scaled(debit_total - credit_total).to_string(),
        }
        .into());
    }
    if repo::exists(conn, &id)? {
        return Err(AppError::conflict(
            "duplicate_id",
            "an entry with this id exists",
        ));
    }
    let at = now();
    let row = EntryRow {
        id,
        company_id: company,
        journal_id: req.journal_id.to_db(),
        number: None,
        entry_date: req.entry_date,
        period_id: None,
        status: enum_to_db(&EntryStatus::Draft),
        description: req.description.clone(),
        reference_type: req.reference_type.clone(),
        reference_id: req.reference_id.clone(),
        reverses_id: None,
        reversed_by_id: None,
        total: debit_total,
        version: 1,
        created_by: actor.user_id.to_db(),
        posted_by: None,
        posted_at: None,
        created_at: at,
        updated_at: at,
    };
    Ok((row, lines))
}

/// Posts `row` (its lines stored or about to be): the open period of its date, the next
/// gapless number of its journal and year, and the balance caches, in the caller's
/// transaction. A rollback takes the number back with it, so numbers never skip.
fn post_rows(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &mut EntryRow,
    lines: &[EntryLineRow],
) -> Result<(), AppError> {
    let period = period::service::open_period_for(conn, &row.company_id, row.entry_date)?;
    let journal = journal::repo::find(conn, &row.company_id, &row.journal_id)?
        .ok_or(AppError::NotFound("journal"))?;
    // Numbers run per journal and calendar year of the entry's date.
    let year = chrono::Datelike::year(&row.entry_date);
    row.number = Some(next_number(conn, &row.company_id, &journal.code, year)?);
    row.period_id = Some(period.id.clone());
    row.status = enum_to_db(&EntryStatus::Posted);
    row.posted_by = Some(actor.user_id.to_db());
    row.posted_at = Some(now());
    row.updated_at = now();
    add_to_balances(conn, &period.id, lines)
}

/// Adds posted lines to the balance cache: one row per account and branch, however many
/// lines share it.
fn add_to_balances<'a>(
    conn: &mut DbConnection,
    period_id: &str,
    lines: impl IntoIterator<Item = &'a EntryLineRow>,
) -> Result<(), AppError> {
    let mut sums: BTreeMap<(&str, &str), [i64; 3]> = BTreeMap::new();
    for l in lines {
        let sum = sums
            .entry((&l.account_id, l.branch_id.as_deref().unwrap_or("")))
            .or_default();
        sum[0] += l.debit;
        sum[1] += l.credit;
        sum[2] += l.amount_currency.unwrap_or(0);
    }
    for ((account, branch), [debit, credit, in_currency]) in sums {
        repo::add_to_balance(conn, account, period_id, branch, debit, credit, in_currency)?;
    }
    Ok(())
}

/// An entry of a batch as `EntryBuilder` made it: id, text, reference and signed amounts.
pub(crate) type BuiltEntry = (EntryId, String, (&'static str, String), Vec<BuiltLine>);

/// Records posted entries of one journal and date made by the system, in a few statements:
/// numbered from one bump of the journal's series, balances updated once for all of them,
/// entries and lines inserted in bulk, an audit event each. Returns the numbers, in order.
pub(crate) fn record_batch(
    conn: &mut DbConnection,
    actor: &Actor,
    journal: &JournalRow,
    date: NaiveDate,
    entries: Vec<BuiltEntry>,
) -> Result<Vec<String>, AppError> {
    let company = actor.company_id.to_db();
    let period = period::service::open_period_for(conn, &company, date)?;
    let year = chrono::Datelike::year(&date);
    let numbers = next_numbers(conn, &company, &journal.code, year, entries.len())?;
    let at = now();
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    for ((id, description, (ref_type, ref_id), amounts), number) in
        entries.into_iter().zip(&numbers)
    {
        if amounts.iter().map(|l| l.amount).sum::<i64>() != 0 || amounts.len() < 2 {
            return Err(AppError::Internal(format!(
                "batch entry {description} does not balance"
            )));
        }
        let entry_id = id.to_db();
        let total = amounts.iter().map(|l| l.amount.max(0)).sum();
        for (i, l) in amounts.into_iter().enumerate() {
            let d = l.dims;
            lines.push(EntryLineRow {
                id: erp_core::db::new_id(),
                entry_id: entry_id.clone(),
                line_no: i32::try_from(i + 1).unwrap_or(i32::MAX),
                account_id: l.account.to_db(),
                debit: l.amount.max(0),
                credit: (-l.amount).max(0),
                branch_id: d.branch_id.map(BranchId::to_db),
                cost_center: d.cost_center,
                project: d.project,
                partner_id: d.partner_id.map(PartnerId::to_db),
                description: None,
                amount_currency: l.currency.is_some().then_some(l.amount_currency),
                currency: l.currency,
            });
        }
        rows.push(EntryRow {
            id: entry_id,
            company_id: company.clone(),
            journal_id: journal.id.clone(),
            number: Some(number.clone()),
            entry_date: date,
            period_id: Some(period.id.clone()),
            status: enum_to_db(&EntryStatus::Posted),
            description: Some(description),
            reference_type: Some(ref_type.to_string()),
            reference_id: Some(ref_id),
            reverses_id: None,
            reversed_by_id: None,
            total,
            version: 1,
            created_by: actor.user_id.to_db(),
            posted_by: Some(actor.user_id.to_db()),
            posted_at: Some(at),
            created_at: at,
            updated_at: at,
        });
    }
    add_to_balances(conn, &period.id, &lines)?;
    repo::insert_entries(conn, &rows)?;
    repo::insert_lines(conn, &lines)?;
    let ids: Vec<String> = lines
        .iter()
        .map(|l| l.account_id.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let codes: HashMap<String, String> = account::repo::find_many(conn, &company, &ids)?
        .into_iter()
        .map(|a| (a.id, a.code))
        .collect();
    let mut by_entry: HashMap<&str, Vec<(EntryLineRow, String)>> = HashMap::new();
    for l in &lines {
        let code = codes.get(&l.account_id).cloned().unwrap_or_default();
        by_entry
            .entry(&l.entry_id)
            .or_default()
            .push((l.clone(), code));
    }
    let created = rows
        .iter()
        .map(|r| {
            let lines = by_entry.get(r.id.as_str()).map_or(&[][..], Vec::as_slice);
            Ok((r.id.clone(), to_response(r, lines)?))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    audit::record_created(conn, actor, ENTITY, &created)?;
    Ok(numbers)
}

fn to_response(
    row: &EntryRow,
    lines: &[(EntryLineRow, String)],
) -> Result<EntryResponse, AppError> {
    Ok(EntryResponse {
        id: EntryId::from_db(&row.id)?,
        journal_id: JournalId::from_db(&row.journal_id)?,
        number: row.number.clone(),
        entry_date: row.entry_date,
        period_id: row
            .period_id
            .as_deref()
            .map(PeriodId::from_db)
            .transpose()?,
        status: enum_from_db(&row.status)?,
        description: row.description.clone(),
        reference_type: row.reference_type.clone(),
        reference_id: row.reference_id.clone(),
        reverses_id: row
            .reverses_id
            .as_deref()
            .map(EntryId::from_db)
            .transpose()?,
        reversed_by_id: row
            .reversed_by_id
            .as_deref()
            .map(EntryId::from_db)
            .transpose()?,
        total: Money::from_scaled(row.total),
        lines: lines
            .iter()
            .map(|(l, code)| {
                Ok(EntryLineResponse {
                    line_no: l.line_no,
                    account_id: AccountId::from_db(&l.account_id)?,
                    account_code: code.clone(),
                    debit: Money::from_scaled(l.debit),
                    credit: Money::from_scaled(l.credit),
                    branch_id: l.branch_id.as_deref().map(BranchId::from_db).transpose()?,
                    cost_center: l.cost_center.clone(),
                    project: l.project.clone(),
                    partner_id: l
                        .partner_id
                        .as_deref()
                        .map(PartnerId::from_db)
                        .transpose()?,
                    description: l.description.clone(),
                    currency: l.currency.clone(),
                    amount_in_currency: l
                        .amount_currency
                        .map(|a| Money::from_scaled(if l.debit > 0 { a } else { -a })),
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: row.version,
        posted_at: row.posted_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Can the actor see an entry? Users limited to some branches see entries all of whose lines
/// are booked to those branches.
fn visible(actor: &Actor, lines: &[(EntryLineRow, String)]) -> Result<bool, AppError> {
    for (l, _) in lines {
        let seen = match &l.branch_id {
            Some(b) => actor.sees_branch(&BranchId::from_db(b)?),
            None => actor.branches == BranchScope::All,
        };
        if !seen {
            return Ok(false);
        }
    }
    Ok(true)
}

fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<(EntryRow, Vec<(EntryLineRow, String)>), AppError> {
    let row =
        repo::find(conn, &actor.company_id.to_db(), id)?.ok_or(AppError::NotFound("entry"))?;
    let lines = repo::lines_of(conn, &row.id)?;
    if !visible(actor, &lines)? {
        return Err(AppError::NotFound("entry"));
    }
    Ok((row, lines))
}

/// Records an entry in the caller's transaction, posted at once when `req.post`: the one way
/// in for the API and for every module that posts (they pass their own business date,
/// reference and dimensions).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateEntryRequest,
    origin: Origin,
) -> Result<EntryResponse, AppError> {
    let (mut row, lines) = build(conn, actor, req, origin)?;
    if req.post {
        post_rows(conn, actor, &mut row, &lines)?;
    }
    repo::insert(conn, &row, &lines)?;
    let lines = repo::lines_of(conn, &row.id)?;
    let out = to_response(&row, &lines)?;
    audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
    Ok(out)
}

pub fn create_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateEntryRequest,
) -> Result<EntryResponse, AppError> {
    actor.require(WRITE)?;
    if req.post {
        actor.require(POST)?;
    }
    write_tx(conn, |conn| record(conn, actor, &req, Origin::Api))
}

pub fn get_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
) -> Result<EntryResponse, AppError> {
    actor.require(READ)?;
    let (row, lines) = load(conn, actor, &id.to_db())?;
    to_response(&row, &lines)
}

pub fn list_entries(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: EntryListQuery,
) -> Result<EntryPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let filter = EntryFilter {
        journal_id: q.journal_id.map(JournalId::to_db),
        status: q.status.map(|s| enum_to_db(&s)),
        from: q.from,
        to: q.to,
        reference_type: q.reference_type,
        reference_id: q.reference_id,
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.id);
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let all_lines = repo::lines_of_many(conn, &ids)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let lines: Vec<(EntryLineRow, String)> = all_lines
            .iter()
            .filter(|(l, _)| l.entry_id == row.id)
            .cloned()
            .collect();
        if visible(actor, &lines)? {
            items.push(to_response(row, &lines)?);
        }
    }
    Ok(EntryPage { items, next_cursor })
}

/// Posts a draft. Of two concurrent posts of one draft one waits for the other and then
/// finds it posted (409 `entry_posted`).
pub fn post_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
) -> Result<EntryResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let (mut row, lines) = load(conn, actor, &id.to_db())?;
        if row.status != "draft" {
            return Err(FinanceError::Posted.into());
        }
        if !repo::claim_draft(conn, &row.id, row.version)? {
            return Err(AppError::Contended);
        }
        row.version += 1;
        // Accounts may have been deactivated since the draft was made.
        let ids: Vec<String> = lines.iter().map(|(l, _)| l.account_id.clone()).collect();
        let accounts = account::repo::find_many(conn, &row.company_id, &ids)?;
        if let Some(i) = lines
            .iter()
            .position(|(l, _)| !accounts.iter().any(|a| a.id == l.account_id && a.active))
        {
            return Err(AppError::field(
                format!("lines[{i}].account_id"),
                "the account is inactive",
            ));
        }
        let plain: Vec<EntryLineRow> = lines.iter().map(|(l, _)| l.clone()).collect();
        post_rows(conn, actor, &mut row, &plain)?;
        if !repo::mark_posted(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = to_response(&row, &lines)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &row.id,
            Change::Action("post", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Reverses a posted entry with a posted entry that swaps its debits and credits.
pub fn reverse_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
    req: ReverseEntryRequest,
) -> Result<EntryResponse, AppError> {
    actor.require(POST)?;
    let mut v = Validator::new();
    v.opt_text("description", req.description.as_deref(), 500);
    v.finish()?;
    write_tx_retrying(conn, |conn| {
        reverse(conn, actor, id, req.entry_date, req.description.clone())
    })
}

/// Reverses a posted entry in the caller's transaction (the API's reversal and the
/// cancellation of documents share it): a posted entry dated `date` (default: the
/// original's) that swaps debits and credits, linked both ways.
pub fn reverse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
    date: Option<chrono::NaiveDate>,
    description: Option<String>,
) -> Result<EntryResponse, AppError> {
    {
        let (original, lines) = load(conn, actor, &id.to_db())?;
        if original.status != "posted" {
            return Err(AppError::InvalidState {
                entity: "entry",
                action: "reverse",
                current: original.status.clone(),
            });
        }
        if let Some(by) = &original.reversed_by_id {
            return Err(FinanceError::AlreadyReversed { by: by.clone() }.into());
        }
        let reversal_id = EntryId::new().to_db();
        let at = now();
        let mut row = EntryRow {
            id: reversal_id.clone(),
            number: None,
            entry_date: date.unwrap_or(original.entry_date),
            period_id: None,
            status: enum_to_db(&EntryStatus::Draft),
            description: Some(description.unwrap_or_else(|| {
                format!(
                    "Reversal of {}",
                    original.number.clone().unwrap_or_default()
                )
            })),
            reverses_id: Some(original.id.clone()),
            reversed_by_id: None,
            version: 1,
            created_by: actor.user_id.to_db(),
            posted_by: None,
            posted_at: None,
            created_at: at,
            updated_at: at,
            ..original.clone()
        };
        let swapped: Vec<EntryLineRow> = lines
            .iter()
            .map(|(l, _)| EntryLineRow {
                id: erp_core::db::new_id(),
                entry_id: reversal_id.clone(),
                debit: l.credit,
                credit: l.debit,
                amount_currency: l.amount_currency.map(|a| -a),
                ..l.clone()
            })
            .collect();
        post_rows(conn, actor, &mut row, &swapped)?;
        repo::insert(conn, &row, &swapped)?;
        // Of two concurrent reversals one links first; the other rolls back and retries.
        if !repo::mark_reversed(conn, &original.id, &reversal_id)? {
            return Err(AppError::Contended);
        }
        let out = to_response(&row, &repo::lines_of(conn, &row.id)?)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
        audit::record::<()>(
            conn,
            actor,
            ENTITY,
            &original.id,
            Change::Action("reverse", None),
        )?;
        Ok(out)
    }
}

/// Deletes a draft; posted entries are never deleted.
pub fn delete_entry(conn: &mut DbConnection, actor: &Actor, id: EntryId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let (row, lines) = load(conn, actor, &id.to_db())?;
        let before = to_response(&row, &lines)?;
        if !repo::delete_draft(conn, &row.id)? {
            return Err(FinanceError::Posted.into());
        }
        audit::record(conn, actor, ENTITY, &row.id, Change::Deleted(&before))?;
        Ok(())
    })
}
