//! Statements as CSV (`Accept: text/csv`), for spreadsheets and accountants' tools: one row
//! per account line, section totals as rows of their own, amounts as the JSON gives them.

use csv::Writer;
use erp_core::error::AppError;

use super::dto::*;

fn finish(w: Writer<Vec<u8>>) -> Result<String, AppError> {
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("csv: {e}")))
}

fn row<const N: usize>(w: &mut Writer<Vec<u8>>, cells: [&str; N]) -> Result<(), AppError> {
    w.write_record(cells)
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

pub fn trial_balance(tb: &TrialBalanceResponse) -> Result<String, AppError> {
    let mut w = Writer::from_writer(Vec::new());
    row(
        &mut w,
        [
            "code", "name", "type", "opening", "debit", "credit", "closing",
        ],
    )?;
    for l in &tb.lines {
        let kind = serde_json::to_value(l.account_type)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        row(
            &mut w,
            [
                &l.code,
                &l.name,
                &kind,
                &l.opening.to_string(),
                &l.debit.to_string(),
                &l.credit.to_string(),
                &l.closing.to_string(),
            ],
        )?;
    }
    row(
        &mut w,
        [
            "",
            "total",
            "",
            "",
            &tb.total_debit.to_string(),
            &tb.total_credit.to_string(),
            "",
        ],
    )?;
    finish(w)
}

/// The lines of one section, with the comparison's amount of the same account beside.
fn section(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    current: &StatementSection,
    comparison: Option<&StatementSection>,
) -> Result<(), AppError> {
    let other = |code: &str| {
        comparison
            .and_then(|c| c.lines.iter().find(|l| l.code == code))
            .map(|l| l.amount.to_string())
            .unwrap_or_default()
    };
    for l in &current.lines {
        row(
            w,
            [
                name,
                &l.code,
                &l.name,
                &l.amount.to_string(),
                &other(&l.code),
            ],
        )?;
    }
    // Accounts only the comparison has.
    for l in comparison.map(|c| c.lines.as_slice()).unwrap_or_default() {
        if !current.lines.iter().any(|x| x.code == l.code) {
            row(w, [name, &l.code, &l.name, "", &l.amount.to_string()])?;
        }
    }
    row(
        w,
        [
            name,
            "",
            "total",
            &current.total.to_string(),
            &comparison.map(|c| c.total.to_string()).unwrap_or_default(),
        ],
    )
}

pub fn income_statement(s: &IncomeStatement) -> Result<String, AppError> {
    let mut w = Writer::from_writer(Vec::new());
    let c = s.comparison.as_ref();
    let period = |p: &IncomePart| format!("{}..{}", p.from, p.to);
    row(
        &mut w,
        [
            "section",
            "code",
            "name",
            &period(&s.current),
            &c.map(period).unwrap_or_default(),
        ],
    )?;
    section(&mut w, "revenue", &s.current.revenue, c.map(|c| &c.revenue))?;
    section(
        &mut w,
        "expenses",
        &s.current.expenses,
        c.map(|c| &c.expenses),
    )?;
    row(
        &mut w,
        [
            "net_income",
            "",
            "net income",
            &s.current.net_income.to_string(),
            &c.map(|c| c.net_income.to_string()).unwrap_or_default(),
        ],
    )?;
    finish(w)
}

pub fn balance_sheet(b: &BalanceSheet) -> Result<String, AppError> {
    let mut w = Writer::from_writer(Vec::new());
    row(
        &mut w,
        ["section", "code", "name", &b.as_of.to_string(), ""],
    )?;
    section(&mut w, "assets", &b.assets, None)?;
    section(&mut w, "liabilities", &b.liabilities, None)?;
    section(&mut w, "equity", &b.equity, None)?;
    row(
        &mut w,
        [
            "equity",
            "",
            "earnings not yet closed",
            &b.unclosed_earnings.to_string(),
            "",
        ],
    )?;
    row(
        &mut w,
        [
            "total",
            "",
            "liabilities and equity",
            &b.total_liabilities_and_equity.to_string(),
            "",
        ],
    )?;
    finish(w)
}
