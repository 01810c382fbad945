//! Opening balances: a former system's trial balance loaded in one call as one posted entry,
//! accounts by code or id, the difference on a named offset account, every bad line named,
//! a dry run that keeps nothing.

use erp_tests::builders::UserBuilder;
use erp_tests::finance::{books, closing_of};
use serde_json::{json, Value};

const PATH: &str = "/api/v1/finance/opening-balances";

#[test]
fn a_trial_balance_opens_the_books_in_one_entry_with_the_difference_on_the_offset_account() {
    let b = books();
    let app = &b.app;
    let nord = b.partner("Nord", "customer");
    let lines = json!([
        {"account_code": "1100", "debit": "5000.00"},
        {"account_code": "1200", "debit": "1500.00", "partner_id": nord, "description": "Nord's open invoices"},
        {"account_id": b.accounts["2000"], "credit": "800.00"},
    ]);
    let body = |extra: Value| {
        let mut body = json!({"entry_date": "2026-01-01", "lines": lines});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let entries_before = b.entry_count();
    let refused = |body: Value| {
        app.post(PATH, &b.admin, body)
            .expect_problem(422, "validation_failed")
    };

    // Debits exceed credits by 5,700.00: refused with the amount, until an account takes it.
    let r = refused(body(json!({})));
    assert_eq!(r.error_fields(), ["offset_account_id"]);
    assert!(r.text.contains("5700.00"), "{}", r.text);
    let r = refused(body(
        json!({"offset_account_id": "0191a000-0000-7000-8000-000000000000"}),
    ));
    assert_eq!(r.error_fields(), ["offset_account_id"], "{}", r.text);

    // Every line it cannot place is named, and nothing is written.
    let r = refused(
        json!({"entry_date": "2026-01-01", "offset_account_id": b.accounts["3100"], "lines": [
            {"account_code": "1100", "debit": "10.00"},
            {"account_code": "9999", "debit": "10.00"},
            {"account_code": "1200", "account_id": b.accounts["1200"], "debit": "10.00"},
            {"credit": "10.00"},
        ]}),
    );
    assert_eq!(
        r.error_fields(),
        [
            "lines[1].account_code",
            "lines[2].account_id",
            "lines[3].account_id"
        ],
        "{}",
        r.text
    );
    let r = refused(json!({"entry_date": "2026-01-01", "lines": [
        {"account_code": "1100", "debit": "10.005"},
        {"account_code": "2000", "credit": "10.005"},
    ]}));
    assert!(
        r.error_fields().contains(&"lines[0].debit".to_string()),
        "{}",
        r.text
    );
    let r = refused(body(
        json!({"entry_date": "2031-01-01", "offset_account_id": b.accounts["3100"]}),
    ));
    assert_eq!(r.error_fields(), ["entry_date"]);
    assert_eq!(b.entry_count(), entries_before);

    // A dry run answers with the entry it would post, and keeps nothing.
    let dry = app
        .post(
            &format!("{PATH}?dry_run=true"),
            &b.admin,
            body(json!({"offset_account_id": b.accounts["3100"]})),
        )
        .expect(200)
        .body;
    assert_eq!(dry["total"], "6500.00", "{dry}");
    assert_eq!(b.entry_count(), entries_before);

    // Posting it needs the right to post entries.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["finance.entry.write", "finance.entry.read"])
        .create(app, &b.admin);
    app.post(
        PATH,
        &clerk.token,
        body(json!({"offset_account_id": b.accounts["3100"]})),
    )
    .expect_problem(403, "forbidden");

    let entry = app
        .post(
            PATH,
            &b.admin,
            body(json!({"offset_account_id": b.accounts["3100"]})),
        )
        .expect(201)
        .body;
    assert_eq!(
        (
            entry["status"].as_str(),
            entry["reference_type"].as_str(),
            entry["description"].as_str(),
            entry["entry_date"].as_str()
        ),
        (
            Some("posted"),
            Some("opening_balances"),
            Some("Opening balances"),
            Some("2026-01-01")
        )
    );
    let booked: Vec<(&str, &str, &str)> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["account_code"].as_str().unwrap(),
                l["debit"].as_str().unwrap(),
                l["credit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        booked,
        [
            ("1100", "5000.00", "0.00"),
            ("1200", "1500.00", "0.00"),
            ("2000", "0.00", "800.00"),
            ("3100", "0.00", "5700.00")
        ]
    );
    assert_eq!(entry["lines"][1]["partner_id"], nord.as_str());
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(
        ["1100", "1200", "2000", "3100"].map(|c| closing_of(&tb, c)),
        ["5000.00", "1500.00", "-800.00", "-5700.00"]
    );
    assert_eq!(b.entry_count(), entries_before + 1);
}
