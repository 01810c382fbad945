use diesel::prelude::*;
use erp_core::db::schema::{
    fin_balances as b, fin_bank_lines as l, fin_bank_statements as s, fin_payments as p,
    fin_reconciliations as r,
};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::{BankLineRow, ReconciliationRow, StatementRow};
use crate::ids::{AccountId, BankLineId, BankStatementId, PaymentId};
use crate::payment::dto::PaymentStatus;
use crate::payment::model::PaymentRow;

pub fn reference_taken(
    conn: &mut DbConnection,
    account_id: AccountId,
    reference: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        s::table
            .filter(s::account_id.eq(account_id))
            .filter(s::reference.eq(reference)),
    ))
    .get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    statement: &StatementRow,
    lines: &[BankLineRow],
) -> QueryResult<()> {
    diesel::insert_into(s::table)
        .values(statement)
        .execute(conn)?;
    // One row at a time: batch inserts do not compile through the MultiConnection backend.
    for line in lines {
        diesel::insert_into(l::table).values(line).execute(conn)?;
    }
    Ok(())
}

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: BankStatementId,
) -> QueryResult<Option<StatementRow>> {
    s::table
        .find(id)
        .filter(s::company_id.eq(company_id))
        .select(StatementRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    account_id: Option<AccountId>,
    page: &PageRequest,
) -> QueryResult<Vec<StatementRow>> {
    let mut q = s::table.filter(s::company_id.eq(company_id)).into_boxed();
    if let Some(a) = account_id {
        q = q.filter(s::account_id.eq(a.to_string()));
    }
    if let Some(after) = &page.after {
        q = q.filter(s::id.gt(after.clone()));
    }
    q.order(s::id.asc())
        .limit(page.fetch_limit())
        .select(StatementRow::as_select())
        .load(conn)
}

/// The last statement imported for an account (by statement date).
pub fn last_of_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Option<StatementRow>> {
    s::table
        .filter(s::account_id.eq(account_id))
        .order((s::statement_date.desc(), s::id.desc()))
        .select(StatementRow::as_select())
        .first(conn)
        .optional()
}

pub fn lines_of(
    conn: &mut DbConnection,
    statement_id: BankStatementId,
) -> QueryResult<Vec<BankLineRow>> {
    l::table
        .filter(l::statement_id.eq(statement_id))
        .order(l::line_no)
        .select(BankLineRow::as_select())
        .load(conn)
}

pub fn find_line(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: BankLineId,
) -> QueryResult<Option<BankLineRow>> {
    l::table
        .find(id)
        .filter(l::company_id.eq(company_id))
        .select(BankLineRow::as_select())
        .first(conn)
        .optional()
}

/// Lines of an account not reconciled in full, by date.
pub fn open_lines(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<Vec<BankLineRow>> {
    let rows: Vec<BankLineRow> = l::table
        .filter(l::account_id.eq(account_id))
        .order((l::booking_date, l::id))
        .select(BankLineRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|x| x.matched < x.amount.abs())
        .collect())
}

/// Adds `amount` to what a line has reconciled, guarded: false when less than that is left,
/// so concurrent reconciliations never match more than the line.
pub fn take_line(
    conn: &mut DbConnection,
    id: BankLineId,
    left: i64,
    amount: i64,
) -> QueryResult<bool> {
    diesel::update(
        l::table
            .filter(l::id.eq(id))
            .filter(l::matched.le(left - amount)),
    )
    .set(l::matched.eq(l::matched + amount))
    .execute(conn)
    .map(|n| n == 1)
}

/// Adds `amount` to what bank lines account for of a payment, guarded by the payment's amount.
pub fn take_payment(conn: &mut DbConnection, id: PaymentId, amount: i64) -> QueryResult<bool> {
    diesel::update(
        p::table
            .filter(p::id.eq(id))
            .filter(p::reconciled.le(p::amount - amount)),
    )
    .set(p::reconciled.eq(p::reconciled + amount))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn insert_reconciliation(conn: &mut DbConnection, row: &ReconciliationRow) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn reconciliations_of(
    conn: &mut DbConnection,
    line_id: BankLineId,
) -> QueryResult<Vec<ReconciliationRow>> {
    r::table
        .filter(r::bank_line_id.eq(line_id))
        .order(r::id)
        .select(ReconciliationRow::as_select())
        .load(conn)
}

/// Posted payments on a bank account that bank lines do not account for in full, with what
/// they account for.
pub fn unreconciled_payments(
    conn: &mut DbConnection,
    company_id: CompanyId,
    account_id: AccountId,
) -> QueryResult<Vec<(PaymentRow, i64)>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::account_id.eq(account_id))
        .filter(p::status.eq(PaymentStatus::Posted))
        .filter(p::reconciled.lt(p::amount))
        .order((p::payment_date, p::id))
        .select((PaymentRow::as_select(), p::reconciled))
        .load(conn)
}

/// The account's balance in the books (debit positive), from the balance caches.
pub fn book_balance(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<i64> {
    let rows: Vec<(i64, i64)> = b::table
        .filter(b::account_id.eq(account_id))
        .select((b::debit, b::credit))
        .load(conn)?;
    Ok(rows.into_iter().map(|(d, c)| d - c).sum())
}
