use super::*;
use crate::bank::dto::CsvColumns;

const CAMT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>STMT-2026-12-01</Id>
   <CreDtTm>2026-12-02T06:00:00</CreDtTm>
   <Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1105.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>
   <Ntry>
    <Amt Ccy="EUR">119.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt>
    <AcctSvcrRef>BANKREF-1</AcctSvcrRef>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Nm>Nord GmbH</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
     <RmtInf><Ustrd>Invoice SJ-2026-000001</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">13.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-12-01</Dt></BookgDt>
    <AddtlNtryInf>Account fees</AddtlNtryInf>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
    <BookgDt><Dt>2026-12-02</Dt></BookgDt>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>"#;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn camt053_gives_balances_and_booked_entries_with_their_parties() {
    let p = camt053(CAMT).unwrap();
    assert_eq!(p.reference.as_deref(), Some("STMT-2026-12-01"));
    assert_eq!(
        (p.opening, p.closing),
        (Some(d("1000.00")), Some(d("1105.50")))
    );
    assert_eq!(p.currency.as_deref(), Some("EUR"));
    assert_eq!(p.lines.len(), 2, "the pending entry is left out");
    let first = &p.lines[0];
    assert_eq!(first.amount, d("119.00"));
    assert_eq!(first.counterparty_name.as_deref(), Some("Nord GmbH"));
    assert_eq!(
        first.counterparty_account.as_deref(),
        Some("DE89370400440532013000")
    );
    assert_eq!(first.remittance.as_deref(), Some("Invoice SJ-2026-000001"));
    assert_eq!(first.bank_reference.as_deref(), Some("BANKREF-1"));
    assert_eq!(p.lines[1].amount, d("-13.50"));
    assert_eq!(p.lines[1].remittance.as_deref(), Some("Account fees"));
}

#[test]
fn camt053_faults_are_named() {
    assert!(camt053("<Document>").unwrap_err()[0]
        .message
        .contains("not well-formed"));
    let none = camt053("<Document><BkToCstmrStmt/></Document>").unwrap_err();
    assert!(none[0].message.contains("no statement"));
    let bad = CAMT.replace("<CdtDbtInd>DBIT</CdtDbtInd>", "");
    let e = camt053(&bad).unwrap_err();
    assert_eq!(e[0].field, "camt053.Ntry[1]");
}

fn mapping() -> CsvColumns {
    CsvColumns {
        booking_date: "Buchungstag".into(),
        amount: Some("Betrag".into()),
        debit: None,
        credit: None,
        value_date: None,
        counterparty_name: Some("Name".into()),
        counterparty_account: None,
        remittance: Some("Verwendungszweck".into()),
        bank_reference: None,
    }
}

#[test]
fn csv_reads_by_the_mapping_with_decimal_commas() {
    let input = CsvStatement {
            content: "Buchungstag;Betrag;Name;Verwendungszweck\n01.12.2026;1.190,00;Nord GmbH;RE SJ-2026-000001\n02.12.2026;-13,50;Bank;Gebuehren\n".into(),
            delimiter: Some(";".into()),
            date_format: Some("%d.%m.%Y".into()),
            decimal_comma: true,
            columns: mapping(),
        };
    let p = csv(&input).unwrap();
    assert_eq!(p.lines.len(), 2);
    assert_eq!(p.lines[0].amount, d("1190.00"));
    assert_eq!(
        p.lines[0].booking_date,
        NaiveDate::from_ymd_opt(2026, 12, 1)
    );
    assert_eq!(p.lines[1].amount, d("-13.50"));
    assert_eq!(p.lines[1].remittance.as_deref(), Some("Gebuehren"));
}

#[test]
fn csv_debit_and_credit_columns_and_faults_by_row() {
    let mut columns = mapping();
    columns.amount = None;
    columns.debit = Some("Soll".into());
    columns.credit = Some("Haben".into());
    columns.counterparty_name = None;
    columns.remittance = None;
    let input = CsvStatement {
        content: "Buchungstag,Soll,Haben\n2026-12-01,,50.00\n2026-12-02,20.00,\n2026-13-02,x,\n"
            .into(),
        delimiter: None,
        date_format: None,
        decimal_comma: false,
        columns,
    };
    let e = csv(&input).unwrap_err();
    let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "csv.content.row[4].booking_date",
            "csv.content.row[4].amount"
        ]
    );
    let ok = CsvStatement {
        content: "Buchungstag,Soll,Haben\n2026-12-01,,50.00\n2026-12-02,20.00,\n".into(),
        ..input
    };
    let p = csv(&ok).unwrap();
    assert_eq!(
        p.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [d("50.00"), d("-20.00")]
    );
    let mut missing = mapping();
    missing.booking_date = "Datum".into();
    let e = csv(&CsvStatement {
        content: "Buchungstag;Betrag\n".into(),
        delimiter: Some(";".into()),
        date_format: None,
        decimal_comma: false,
        columns: missing,
    })
    .unwrap_err();
    assert_eq!(e[0].field, "csv.columns.booking_date");
}
