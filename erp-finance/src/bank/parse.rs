//! Reading bank statements: ISO 20022 camt.053 (the XML banks export) and CSV with a column
//! mapping. Pure functions, no database: the text in, a statement or the fields at fault out.

use std::collections::HashMap;

use chrono::NaiveDate;
use erp_core::error::FieldError;
use roxmltree::Node;
use rust_decimal::Decimal;

use super::dto::{CsvColumns, CsvStatement};

/// A statement as read, before it is checked against the books.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub reference: Option<String>,
    pub date: Option<NaiveDate>,
    pub currency: Option<String>,
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub lines: Vec<ParsedLine>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ParsedLine {
    pub booking_date: Option<NaiveDate>,
    pub value_date: Option<NaiveDate>,
    /// Money in is positive.
    pub amount: Decimal,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub remittance: Option<String>,
    pub bank_reference: Option<String>,
}

fn named<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The element at a path of local names below `n` (namespaces are ignored: camt.053 comes in
/// several versions).
fn at<'a, 'i>(n: Node<'a, 'i>, path: &[&str]) -> Option<Node<'a, 'i>> {
    path.iter().try_fold(n, |n, name| named(n, name))
}

fn text(n: Node, path: &[&str]) -> Option<String> {
    at(n, path)
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn date(n: Node, path: &[&str]) -> Option<NaiveDate> {
    let t = text(n, path)?;
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

/// An amount with its credit/debit indicator: debits are negative.
fn signed(n: Node, field: &str, errors: &mut Vec<FieldError>) -> Option<Decimal> {
    let amount = text(n, &["Amt"]).and_then(|t| t.parse::<Decimal>().ok());
    let sign = match text(n, &["CdtDbtInd"]).as_deref() {
        Some("CRDT") => Some(Decimal::ONE),
        Some("DBIT") => Some(-Decimal::ONE),
        _ => None,
    };
    match (amount, sign) {
        (Some(a), Some(s)) => Some(a * s),
        _ => {
            errors.push(FieldError::new(
                field,
                "needs Amt and CdtDbtInd (CRDT or DBIT)",
            ));
            None
        }
    }
}

/// Reads the one statement (`Stmt`) of a camt.053 document; booked entries only.
pub fn camt053(xml: &str) -> Result<Parsed, Vec<FieldError>> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| {
        vec![FieldError::new(
            "camt053",
            format!("not well-formed XML: {e}"),
        )]
    })?;
    let statements: Vec<Node> = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Stmt")
        .collect();
    let stmt = match statements.as_slice() {
        [one] => *one,
        [] => {
            return Err(vec![FieldError::new(
                "camt053",
                "no statement (BkToCstmrStmt/Stmt) in the document",
            )])
        }
        _ => {
            return Err(vec![FieldError::new(
                "camt053",
                "one statement per import; the document has several",
            )])
        }
    };
    let mut errors = Vec::new();
    let mut out = Parsed {
        reference: text(stmt, &["Id"]),
        date: date(stmt, &["CreDtTm"]),
        currency: text(stmt, &["Acct", "Ccy"]),
        ..Parsed::default()
    };
    for (i, bal) in stmt
        .children()
        .filter(|c| c.tag_name().name() == "Bal")
        .enumerate()
    {
        let code = text(bal, &["Tp", "CdOrPrtry", "Cd"]);
        let amount = signed(bal, &format!("camt053.Bal[{i}]"), &mut errors);
        match code.as_deref() {
            Some("OPBD") | Some("PRCD") => out.opening = amount,
            Some("CLBD") => {
                out.closing = amount;
                out.date = date(bal, &["Dt", "Dt"]).or(out.date);
            }
            _ => {}
        }
        if out.currency.is_none() {
            out.currency = at(bal, &["Amt"]).and_then(|a| a.attribute("Ccy").map(str::to_string));
        }
    }
    for (i, ntry) in stmt
        .children()
        .filter(|c| c.tag_name().name() == "Ntry")
        .enumerate()
    {
        let status = text(ntry, &["Sts", "Cd"]).or_else(|| text(ntry, &["Sts"]));
        if status.as_deref().is_some_and(|s| s != "BOOK") {
            continue; // pending or informational: not on the account yet
        }
        let field = format!("camt053.Ntry[{i}]");
        let Some(amount) = signed(ntry, &field, &mut errors) else {
            continue;
        };
        let tx = at(ntry, &["NtryDtls", "TxDtls"]);
        // The other party: who paid us on a credit, whom we paid on a debit.
        let (party, party_account) = if amount > Decimal::ZERO {
            ("Dbtr", "DbtrAcct")
        } else {
            ("Cdtr", "CdtrAcct")
        };
        let counterparty_name = tx.and_then(|t| {
            text(t, &["RltdPties", party, "Nm"])
                .or_else(|| text(t, &["RltdPties", party, "Pty", "Nm"]))
        });
        let counterparty_account = tx.and_then(|t| {
            text(t, &["RltdPties", party_account, "Id", "IBAN"])
                .or_else(|| text(t, &["RltdPties", party_account, "Id", "Othr", "Id"]))
        });
        let mut remittance: Vec<String> = tx
            .and_then(|t| at(t, &["RmtInf"]))
            .map(|r| {
                r.descendants()
                    .filter(|n| matches!(n.tag_name().name(), "Ustrd" | "Ref"))
                    .filter_map(|n| n.text().map(|t| t.trim().to_string()))
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if remittance.is_empty() {
            remittance.extend(text(ntry, &["AddtlNtryInf"]));
        }
        let booking_date =
            date(ntry, &["BookgDt", "Dt"]).or_else(|| date(ntry, &["BookgDt", "DtTm"]));
        if booking_date.is_none() {
            errors.push(FieldError::new(format!("{field}.BookgDt"), "is missing"));
        }
        out.lines.push(ParsedLine {
            booking_date,
            value_date: date(ntry, &["ValDt", "Dt"]),
            amount,
            counterparty_name,
            counterparty_account,
            remittance: (!remittance.is_empty()).then(|| remittance.join(" ")),
            bank_reference: text(ntry, &["AcctSvcrRef"])
                .or_else(|| tx.and_then(|t| text(t, &["Refs", "EndToEndId"]))),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A number as banks write it: `1,234.56`, or with `decimal_comma` `1.234,56`; `-` or a
/// trailing `-` for a debit.
fn number(raw: &str, decimal_comma: bool) -> Option<Decimal> {
    let t = raw.trim().replace([' ', '\u{a0}', '\''], "");
    let (t, negative) = match t.strip_suffix('-') {
        Some(rest) => (rest.to_string(), true),
        None => (t, false),
    };
    let t = if decimal_comma {
        t.replace('.', "").replace(',', ".")
    } else {
        t.replace(',', "")
    };
    let d: Decimal = t.parse().ok()?;
    Some(if negative { -d } else { d })
}

/// Reads a CSV export by its column mapping.
pub fn csv(input: &CsvStatement) -> Result<Parsed, Vec<FieldError>> {
    let delimiter = match input.delimiter.as_deref().unwrap_or(",").as_bytes() {
        [b] => *b,
        _ => {
            return Err(vec![FieldError::new(
                "csv.delimiter",
                "one character, such as , or ;",
            )])
        }
    };
    let date_format = input.date_format.as_deref().unwrap_or("%Y-%m-%d");
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(input.content.as_bytes());
    let headers: HashMap<String, usize> = reader
        .headers()
        .map_err(|e| {
            vec![FieldError::new(
                "csv.content",
                format!("no header row: {e}"),
            )]
        })?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let columns = Columns::find(&headers, &input.columns)?;
    let mut errors = Vec::new();
    let mut out = Parsed::default();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2; // the header is row 1
        match record {
            Ok(record) => {
                let line = Row {
                    record: &record,
                    row,
                    date_format,
                    decimal_comma: input.decimal_comma,
                }
                .line(&columns, &mut errors);
                out.lines.extend(line);
            }
            Err(e) => errors.push(FieldError::new(
                format!("csv.content.row[{row}]"),
                e.to_string(),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Where each field is in a row of the file, found by the column names the request gives.
struct Columns {
    booking: Option<usize>,
    amount: Option<usize>,
    debit: Option<usize>,
    credit: Option<usize>,
    value: Option<usize>,
    name: Option<usize>,
    account: Option<usize>,
    remittance: Option<usize>,
    reference: Option<usize>,
}

impl Columns {
    /// Every column named is in the header, and the amount comes either signed or as debit
    /// and credit.
    fn find(headers: &HashMap<String, usize>, c: &CsvColumns) -> Result<Columns, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut column = |field: &str, name: Option<&String>| -> Option<usize> {
            let name = name?;
            let found = headers.get(name.trim()).copied();
            if found.is_none() {
                errors.push(FieldError::new(
                    format!("csv.columns.{field}"),
                    format!("the file has no column '{name}'"),
                ));
            }
            found
        };
        let columns = Columns {
            booking: column("booking_date", Some(&c.booking_date)),
            amount: column("amount", c.amount.as_ref()),
            debit: column("debit", c.debit.as_ref()),
            credit: column("credit", c.credit.as_ref()),
            value: column("value_date", c.value_date.as_ref()),
            name: column("counterparty_name", c.counterparty_name.as_ref()),
            account: column("counterparty_account", c.counterparty_account.as_ref()),
            remittance: column("remittance", c.remittance.as_ref()),
            reference: column("bank_reference", c.bank_reference.as_ref()),
        };
        if c.amount.is_none() == (c.debit.is_none() && c.credit.is_none()) {
            errors.push(FieldError::new(
                "csv.columns.amount",
                "name either a signed amount column or debit and credit columns",
            ));
        }
        if errors.is_empty() {
            Ok(columns)
        } else {
            Err(errors)
        }
    }
}

/// One record of the file, its errors named `csv.content.row[<row>].<field>`.
struct Row<'a> {
    record: &'a ::csv::StringRecord,
    row: usize,
    date_format: &'a str,
    decimal_comma: bool,
}

impl Row<'_> {
    fn error(&self, field: &str, reason: impl Into<String>) -> FieldError {
        FieldError::new(format!("csv.content.row[{}].{field}", self.row), reason)
    }

    /// The trimmed text of a cell; None when the column is not named or the cell is empty.
    fn cell(&self, k: Option<usize>) -> Option<String> {
        k.and_then(|k| self.record.get(k))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }

    fn date(
        &self,
        k: Option<usize>,
        field: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        let raw = self.cell(k)?;
        let d = NaiveDate::parse_from_str(&raw, self.date_format).ok();
        if d.is_none() {
            errors.push(self.error(
                field,
                format!("'{raw}' is not a date like {}", self.date_format),
            ));
        }
        d
    }

    /// The signed amount: the amount column, or the credit less the debit.
    fn amount(&self, c: &Columns, errors: &mut Vec<FieldError>) -> Option<Decimal> {
        let parse = |k: Option<usize>| {
            self.cell(k)
                .map(|raw| (number(&raw, self.decimal_comma), raw))
        };
        let not_a_number = |raw: String| self.error("amount", format!("'{raw}' is not a number"));
        match (parse(c.amount), parse(c.debit), parse(c.credit)) {
            (Some((Some(a), _)), _, _) => Some(a),
            (None, d, cr) => {
                let d = d.map(|(v, raw)| v.map(|v| -v.abs()).ok_or(raw));
                let cr = cr.map(|(v, raw)| v.map(|v| v.abs()).ok_or(raw));
                match (d, cr) {
                    (Some(Err(raw)), _) | (_, Some(Err(raw))) => {
                        errors.push(not_a_number(raw));
                        None
                    }
                    (d, cr) => Some(
                        d.and_then(Result::ok).unwrap_or_default()
                            + cr.and_then(Result::ok).unwrap_or_default(),
                    ),
                }
            }
            (Some((None, raw)), _, _) => {
                errors.push(not_a_number(raw));
                None
            }
        }
    }

    /// The statement line of the record; None (with the reasons in `errors`) when its amount
    /// cannot be read.
    fn line(&self, c: &Columns, errors: &mut Vec<FieldError>) -> Option<ParsedLine> {
        let booking_date = self.date(c.booking, "booking_date", errors);
        if booking_date.is_none() && self.cell(c.booking).is_none() {
            errors.push(self.error("booking_date", "is empty"));
        }
        let value_date = self.date(c.value, "value_date", errors);
        let amount = self.amount(c, errors)?;
        Some(ParsedLine {
            booking_date,
            value_date,
            amount,
            counterparty_name: self.cell(c.name),
            counterparty_account: self.cell(c.account),
            remittance: self.cell(c.remittance),
            bank_reference: self.cell(c.reference),
        })
    }
}

#[cfg(test)]
mod tests;
