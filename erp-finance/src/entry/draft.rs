//! A journal entry from its lines: amounts and currencies checked, balanced, and the rows
//! built; posting them into the balances.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use erp_core::audit::{self};
use erp_core::auth::Actor;
use erp_core::db::{now, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{distinct, BranchId, CompanyId, PartnerId};
use erp_core::money::Money;
use erp_core::numbering::{next_number, next_numbers};
use erp_core::org::branch;
use erp_core::partner;

use super::dto::*;
use super::model::{EntryLineRow, EntryRow};
use super::repo::{self};
use super::service::*;
use crate::account;
use crate::account::model::AccountRow;
use crate::currency::{fits_minor_unit, minor_unit};
use crate::error::FinanceError;
use crate::ids::{AccountId, EntryId, EntryLineId, PeriodId};
use crate::journal;
use crate::journal::model::JournalRow;
use crate::period;

/// One side of a line as a scaled amount, checked: more than zero, whole minor units.
pub(super) fn amount(
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
pub(super) fn line_currency(
    v: &mut Validator,
    i: usize,
    l: &EntryLineInput,
    company_currency: &str,
    origin: Origin,
) -> Option<(String, i64)> {
    let f = |name: &str| line_field(i, name);
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
pub(super) fn build(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateEntryRequest,
    origin: Origin,
) -> Result<(EntryRow, Vec<EntryLineRow>), AppError> {
    let company = actor.company_id;
    let currency = company_currency(conn, company)?;
    let mut v = Validator::new();
    v.opt_text("description", req.description.as_deref(), 500);
    v.opt_text("reference_type", req.reference_type.as_deref(), 64);
    v.opt_text("reference_id", req.reference_id.as_deref(), 128);
    match journal::repo::find(conn, company, req.journal_id)? {
        Some(j) if j.active => {}
        _ => v.add("journal_id", "no such active journal in the company"),
    }
    if req.lines.len() < 2 {
        v.add("lines", "an entry needs at least two lines");
    }
    let known = Known::look_up(conn, company, &req.lines)?;
    let id = req.id.unwrap_or_default();
    let (mut debit_total, mut credit_total) = (0i64, 0i64);
    let mut lines = Vec::with_capacity(req.lines.len());
    for (i, l) in req.lines.iter().enumerate() {
        let line = LineCheck {
            v: &mut v,
            i,
            currency: &currency,
            origin,
        }
        .row(actor, &known, l, id);
        match (
            debit_total.checked_add(line.debit),
            credit_total.checked_add(line.credit),
        ) {
            (Some(d), Some(c)) => (debit_total, credit_total) = (d, c),
            _ => v.add(
                line_field(i, "debit"),
                "the entry's total is too large to store",
            ),
        }
        lines.push(line);
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
    if repo::exists(conn, id)? {
        return Err(AppError::conflict(
            "duplicate_id",
            "an entry with this id exists",
        ));
    }
    Ok((draft_row(actor, req, id, debit_total), lines))
}

/// The accounts, branches and partners an entry's lines name, each looked up once rather
/// than once a line (a pay run's entry has a line for each of thousands of employees).
struct Known {
    accounts: HashMap<AccountId, AccountRow>,
    branches: HashSet<BranchId>,
    partners: HashSet<PartnerId>,
}

impl Known {
    fn look_up(
        conn: &mut DbConnection,
        company: CompanyId,
        lines: &[EntryLineInput],
    ) -> Result<Known, AppError> {
        let account_ids: Vec<AccountId> = distinct(lines.iter().map(|l| l.account_id));
        let accounts = account::repo::find_many(conn, company, &account_ids)?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let mut branches = HashSet::new();
        for b in distinct(lines.iter().filter_map(|l| l.branch_id)) {
            if branch::repo::exists_in_company(conn, b, company)? {
                branches.insert(b);
            }
        }
        let partners = partner::repo::existing_in_company(
            conn,
            &distinct(lines.iter().filter_map(|l| l.partner_id)),
            company,
        )?
        .into_iter()
        .collect();
        Ok(Known {
            accounts,
            branches,
            partners,
        })
    }
}

/// The checks of one line, its errors named `lines[i].<field>`.
struct LineCheck<'a> {
    v: &'a mut Validator,
    i: usize,
    currency: &'a str,
    origin: Origin,
}

/// The name of field `name` of line `i`.
fn line_field(i: usize, name: &str) -> String {
    format!("lines[{i}].{name}")
}

impl LineCheck<'_> {
    /// The line checked and as it is stored.
    fn row(
        mut self,
        actor: &Actor,
        known: &Known,
        l: &EntryLineInput,
        entry: EntryId,
    ) -> EntryLineRow {
        let (i, currency, origin) = (self.i, self.currency, self.origin);
        let in_currency = line_currency(self.v, i, l, currency, origin);
        self.account(known.accounts.get(&l.account_id), l);
        let f = |name: &str| line_field(i, name);
        let debit = amount(self.v, &f("debit"), l.debit, currency, origin);
        let credit = amount(self.v, &f("credit"), l.credit, currency, origin);
        let v = self.v;
        if l.debit.is_some() == l.credit.is_some() {
            v.add(f("debit"), "give exactly one of debit and credit");
        }
        if let Some(b) = l.branch_id {
            if !known.branches.contains(&b) || (origin == Origin::Api && !actor.sees_branch(&b)) {
                v.add(f("branch_id"), "no such branch, or not one you may post to");
            }
        }
        if let Some(p) = l.partner_id {
            if !known.partners.contains(&p) {
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
        EntryLineRow {
            id: EntryLineId::new(),
            entry_id: entry,
            line_no: i as i32 + 1,
            account_id: l.account_id,
            debit,
            credit,
            branch_id: l.branch_id,
            cost_center: l.cost_center.clone(),
            project: l.project.clone(),
            partner_id: l.partner_id,
            description: l.description.clone(),
            currency: in_currency.as_ref().map(|c| c.0.clone()),
            // Signed like the line: debit positive.
            amount_currency: in_currency.map(|c| if debit > 0 { c.1 } else { -c.1 }),
        }
    }

    /// An active account of the company; one restricted to a currency takes lines in it: in
    /// the company's currency alone, or carrying an amount in its foreign currency.
    fn account(&mut self, account: Option<&AccountRow>, l: &EntryLineInput) {
        let (id_field, currency_field) = (
            line_field(self.i, "account_id"),
            line_field(self.i, "currency"),
        );
        match account {
            None => self.v.add(id_field, "no such account in the company"),
            Some(a) if !a.active => self.v.add(id_field, "the account is inactive"),
            Some(a) => {
                let line = l.currency.as_deref().unwrap_or(self.currency);
                match a.currency.as_deref() {
                    Some(only) if only != line && l.currency.is_some() => self.v.add(
                        currency_field,
                        format!("the account takes only {only}; this line is in {line}"),
                    ),
                    Some(only) if only != line => self.v.add(
                        currency_field,
                        format!(
                            "the account takes only {only}: give currency {only} and amount_in_currency"
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// The entry's row as a draft: no number or period until it is posted.
fn draft_row(actor: &Actor, req: &CreateEntryRequest, id: EntryId, total: i64) -> EntryRow {
    let at = now();
    EntryRow {
        id,
        company_id: actor.company_id,
        journal_id: req.journal_id,
        number: None,
        entry_date: req.entry_date,
        period_id: None,
        status: EntryStatus::Draft,
        description: req.description.clone(),
        reference_type: req.reference_type.clone(),
        reference_id: req.reference_id.clone(),
        reverses_id: None,
        reversed_by_id: None,
        total,
        version: 1,
        created_by: actor.user_id,
        posted_by: None,
        posted_at: None,
        created_at: at,
        updated_at: at,
    }
}

/// Posts `row` (its lines stored or about to be): the open period of its date, the next
/// gapless number of its journal and year, and the balance caches, in the caller's
/// transaction. A rollback takes the number back with it, so numbers never skip.
pub(super) fn post_rows(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &mut EntryRow,
    lines: &[EntryLineRow],
) -> Result<(), AppError> {
    let period = period::service::open_period_for(conn, row.company_id, row.entry_date)?;
    let journal = journal::repo::find(conn, row.company_id, row.journal_id)?
        .ok_or(AppError::NotFound("journal"))?;
    // Numbers run per journal and calendar year of the entry's date.
    let year = chrono::Datelike::year(&row.entry_date);
    row.number = Some(next_number(conn, row.company_id, &journal.code, year)?);
    row.period_id = Some(period.id);
    row.status = EntryStatus::Posted;
    row.posted_by = Some(actor.user_id);
    row.posted_at = Some(now());
    row.updated_at = now();
    add_to_balances(conn, period.id, lines)
}

/// Adds posted lines to the balance cache: one row per account and branch, however many
/// lines share it.
pub(super) fn add_to_balances<'a>(
    conn: &mut DbConnection,
    period_id: PeriodId,
    lines: impl IntoIterator<Item = &'a EntryLineRow>,
) -> Result<(), AppError> {
    let mut sums: BTreeMap<(AccountId, Option<BranchId>), [i64; 3]> = BTreeMap::new();
    for l in lines {
        let sum = sums.entry((l.account_id, l.branch_id)).or_default();
        sum[0] += l.debit;
        sum[1] += l.credit;
        sum[2] += l.amount_currency.unwrap_or(0);
    }
    for ((account, branch), [debit, credit, in_currency]) in sums {
        repo::add_to_balance(conn, account, period_id, branch, debit, credit, in_currency)?;
    }
    Ok(())
}

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
    let company = actor.company_id;
    let period = period::service::open_period_for(conn, company, date)?;
    let year = chrono::Datelike::year(&date);
    let numbers = next_numbers(conn, company, &journal.code, year, entries.len())?;
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
        let entry_id = id;
        let total = amounts.iter().map(|l| l.amount.max(0)).sum();
        for (i, l) in amounts.into_iter().enumerate() {
            let d = l.dims;
            lines.push(EntryLineRow {
                id: EntryLineId::new(),
                entry_id,
                line_no: i32::try_from(i + 1).unwrap_or(i32::MAX),
                account_id: l.account,
                debit: l.amount.max(0),
                credit: (-l.amount).max(0),
                branch_id: d.branch_id,
                cost_center: d.cost_center,
                project: d.project,
                partner_id: d.partner_id,
                description: None,
                amount_currency: l.currency.is_some().then_some(l.amount_currency),
                currency: l.currency,
            });
        }
        rows.push(EntryRow {
            id: entry_id,
            company_id: company,
            journal_id: journal.id,
            number: Some(number.clone()),
            entry_date: date,
            period_id: Some(period.id),
            status: EntryStatus::Posted,
            description: Some(description),
            reference_type: Some(ref_type.to_string()),
            reference_id: Some(ref_id),
            reverses_id: None,
            reversed_by_id: None,
            total,
            version: 1,
            created_by: actor.user_id,
            posted_by: Some(actor.user_id),
            posted_at: Some(at),
            created_at: at,
            updated_at: at,
        });
    }
    add_to_balances(conn, period.id, &lines)?;
    repo::insert_entries(conn, &rows)?;
    repo::insert_lines(conn, &lines)?;
    let ids: Vec<AccountId> = lines
        .iter()
        .map(|l| l.account_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let codes: HashMap<AccountId, String> = account::repo::find_many(conn, company, &ids)?
        .into_iter()
        .map(|a| (a.id, a.code))
        .collect();
    let mut by_entry: HashMap<EntryId, Vec<(EntryLineRow, String)>> = HashMap::new();
    for l in &lines {
        let code = codes.get(&l.account_id).cloned().unwrap_or_default();
        by_entry
            .entry(l.entry_id)
            .or_default()
            .push((l.clone(), code));
    }
    let created = rows
        .iter()
        .map(|r| {
            let lines = by_entry.get(&r.id).map_or(&[][..], Vec::as_slice);
            Ok((r.id, to_response(r, lines)?))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    audit::record_created(conn, actor, ENTITY, &created)?;
    Ok(numbers)
}
