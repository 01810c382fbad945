//! Tax groups through the API: several taxes on one line (a VAT with a withholding, a
//! federal tax with a compound provincial one), each computed on its base, posted to its own
//! account and reported under its own rate, so the tax report still equals the ledger; the
//! refusals of a bad group or a bad line write nothing.

use erp_tests::builders::crm_seller;
use erp_tests::finance::{books, closing_of, Books};
use serde_json::{json, Value};

/// A liability account under `2` for a tax of its own.
fn tax_account(b: &Books, code: &str, name: &str) -> String {
    b.app
        .post(
            "/api/v1/finance/accounts",
            &b.admin,
            json!({"code": code, "name": name, "account_type": "liability",
                   "parent_id": b.accounts["2"]}),
        )
        .expect(201)
        .id()
}

/// A tax of `kind` whose sales and purchase tax both go to `account`.
fn tax_on(b: &Books, code: &str, kind: &str, rate: &str, account: &str) -> String {
    b.app
        .post(
            "/api/v1/finance/taxes",
            &b.admin,
            json!({"code": code, "name": code, "kind": kind, "rate": rate,
                   "sales_account_id": account, "purchase_account_id": account}),
        )
        .expect(201)
        .id()
}

fn group(b: &Books, code: &str, members: Value) -> erp_tests::Resp {
    b.app.post(
        "/api/v1/finance/tax-groups",
        &b.admin,
        json!({"code": code, "name": code, "members": members}),
    )
}

/// A posted document whose lines, (quantity, price), all name the tax group.
fn grouped(b: &Books, kind: &str, partner: &str, group: &str, lines: &[(&str, &str)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(q, p)| json!({"description": "work", "quantity": q, "unit_price": p, "tax_group_id": group}))
        .collect();
    b.app
        .post(
            "/api/v1/finance/invoices",
            &b.admin,
            json!({"kind": kind, "partner_id": partner, "invoice_date": "2026-05-06",
                   "lines": lines, "post": true}),
        )
        .expect(201)
        .body
}

fn report_line(report: &Value, code: &str) -> [String; 4] {
    let l = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .unwrap_or_else(|| panic!("no line {code} in {report}"));
    ["sales_base", "sales_tax", "purchase_base", "purchase_tax"]
        .map(|k| l[k].as_str().unwrap().to_string())
}

#[test]
fn a_group_charges_each_tax_on_its_base_to_its_own_account_and_report_line() {
    let b = books();
    let customer = b.partner("Montreal Retail", "customer");
    let consultant = b.partner("Consultant", "supplier");
    let qst_account = tax_account(&b, "2220", "Provincial sales tax payable");
    let wht_account = tax_account(&b, "2210", "Withholding tax payable");
    let gst = tax_on(&b, "GST5", "sales_tax", "5", &b.accounts["2200"]);
    let qst = tax_on(&b, "QST", "sales_tax", "7.5", &qst_account);
    let vat = b.tax("VAT20", "vat", "20", false);
    let wht = tax_on(&b, "WHT10", "withholding", "10", &wht_account);

    let quebec = group(
        &b,
        "QC",
        json!([{"tax_id": gst}, {"tax_id": qst, "compound": true}]),
    )
    .expect(201);
    assert_eq!(quebec.body["members"][1]["code"], "QST");
    assert_eq!(quebec.body["members"][1]["compound"], true);
    let services = group(&b, "SVC", json!([{"tax_id": vat}, {"tax_id": wht}])).expect(201);

    // GST 5 % on 150.00 is 7.50; QST 7.5 % on the net plus GST, 157.50, is 11.8125 -> 11.81
    // for the document, shared 7.87 and 3.94 (the larger remainder takes the cent).
    let sale = grouped(
        &b,
        "customer_invoice",
        &customer,
        &quebec.id(),
        &[("1", "100.00"), ("2", "25.00")],
    );
    assert_eq!(
        (&sale["net"], &sale["tax"], &sale["total"]),
        (&json!("150.00"), &json!("19.31"), &json!("169.31"))
    );
    let first = &sale["lines"][0];
    assert_eq!(first["tax_group_id"], quebec.body["id"]);
    assert_eq!(
        (&first["taxes"][1]["base"], &first["taxes"][1]["tax"]),
        (&json!("105.00"), &json!("7.87"))
    );
    assert_eq!(sale["lines"][1]["taxes"][1]["tax"], "3.94");
    assert_eq!(first["tax"], "12.87");
    let taxes: Vec<(&str, &str, &str)> = sale["taxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["code"].as_str().unwrap(),
                t["base"].as_str().unwrap(),
                t["tax"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        taxes,
        [("GST5", "150.00", "7.50"), ("QST", "157.50", "11.81")]
    );

    // A consultant's bill: VAT 20 % on 1,000.05 is 200.01 of input tax, and 10 % withheld is
    // 100.005 -> 100.01 owed to the tax office, not to the consultant: 1,100.05 payable.
    let bill = grouped(
        &b,
        "supplier_bill",
        &consultant,
        &services.id(),
        &[("1", "1000.05")],
    );
    assert_eq!(
        (&bill["tax"], &bill["total"]),
        (&json!("100.00"), &json!("1100.05"))
    );

    let tb = b.trial_balance("2026-05-01", "2026-05-31");
    assert_eq!(closing_of(&tb, "1200"), "169.31");
    assert_eq!(closing_of(&tb, "2200"), "-7.50");
    assert_eq!(closing_of(&tb, "2220"), "-11.81");
    assert_eq!(closing_of(&tb, "1400"), "200.01");
    assert_eq!(closing_of(&tb, "2210"), "-100.01");
    assert_eq!(closing_of(&tb, "2000"), "-1100.05");

    let report = b.get("/api/v1/finance/reports/tax?from=2026-05-01&to=2026-05-31");
    assert_eq!(
        report_line(&report, "GST5"),
        ["150.00", "7.50", "0.00", "0.00"]
    );
    assert_eq!(
        report_line(&report, "QST"),
        ["157.50", "11.81", "0.00", "0.00"]
    );
    assert_eq!(
        report_line(&report, "VAT20"),
        ["0.00", "0.00", "1000.05", "200.01"]
    );
    assert_eq!(
        report_line(&report, "WHT10"),
        ["0.00", "0.00", "1000.05", "-100.01"]
    );
    // Output tax 19.31, less input tax 200.01, plus the 100.01 withheld and owed.
    assert_eq!(report["net_tax"], "-80.69");

    // Cancelling the sale takes both of its taxes back out of the ledger.
    b.app
        .post(
            &format!(
                "/api/v1/finance/invoices/{}/cancel",
                sale["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({}),
        )
        .expect(200);
    let tb = b.trial_balance("2026-05-01", "2026-05-31");
    assert_eq!(closing_of(&tb, "2220"), "0.00");
    let report = b.get("/api/v1/finance/reports/tax?from=2026-05-01&to=2026-05-31");
    assert_eq!(
        report_line(&report, "QST"),
        ["0.00", "0.00", "0.00", "0.00"]
    );
}

#[test]
fn bad_groups_and_lines_are_refused_and_an_inactive_group_is_no_longer_charged() {
    let b = books();
    let customer = b.partner("Acme", "customer");
    let vat = b.tax("VAT19", "vat", "19", false);
    let gross = b.tax("G19", "vat", "19", true);
    let wht = b.tax("WHT5", "withholding", "5", false);
    let groups_before = b.get("/api/v1/finance/tax-groups")["items"]
        .as_array()
        .unwrap()
        .len();

    for (members, field) in [
        (json!([{"tax_id": vat}]), "members"),
        (
            json!([{"tax_id": vat}, {"tax_id": vat}]),
            "members[1].tax_id",
        ),
        (
            json!([{"tax_id": vat}, {"tax_id": gross}]),
            "members[1].tax_id",
        ),
        (
            json!([{"tax_id": vat}, {"tax_id": wht, "compound": true}]),
            "members[1].compound",
        ),
        (
            json!([{"tax_id": vat, "compound": true}, {"tax_id": wht, "compound": true}]),
            "members",
        ),
        (
            json!([{"tax_id": vat}, {"tax_id": uuid::Uuid::now_v7()}]),
            "members[1].tax_id",
        ),
    ] {
        let r = group(&b, "BAD", members.clone()).expect_problem(422, "validation_failed");
        assert!(
            r.body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field),
            "{members}: {}",
            r.body
        );
    }
    assert_eq!(
        b.get("/api/v1/finance/tax-groups")["items"]
            .as_array()
            .unwrap()
            .len(),
        groups_before
    );

    let g = group(&b, "VW", json!([{"tax_id": vat}, {"tax_id": wht}])).expect(201);
    group(&b, "VW", json!([{"tax_id": vat}, {"tax_id": wht}]))
        .expect_problem(409, "duplicate_code");
    let invoices_before = b.get("/api/v1/finance/invoices")["items"]
        .as_array()
        .unwrap()
        .len();
    // An invoice of one line of 10 with `taxes` (a tax, a group): the field it is refused by.
    let refused = |taxes: Value| {
        let mut line = json!({"description": "x", "quantity": "1", "unit_price": "10"});
        for (k, v) in taxes.as_object().unwrap() {
            line[k] = v.clone();
        }
        let r = b
            .app
            .post(
                "/api/v1/finance/invoices",
                &b.admin,
                json!({"kind": "customer_invoice", "partner_id": customer, "invoice_date": "2026-05-06", "lines": [line]}),
            )
            .expect_problem(422, "validation_failed");
        r.body["errors"][0]["field"].as_str().unwrap().to_string()
    };
    // A line names a tax or a group, never both.
    assert_eq!(
        refused(json!({"tax_id": vat, "tax_group_id": g.id()})),
        "lines[0].tax_group_id"
    );

    // An inactive group is no longer charged.
    let off = b
        .app
        .patch(
            &format!("/api/v1/finance/tax-groups/{}", g.id()),
            &b.admin,
            1,
            json!({"active": false}),
        )
        .expect(200);
    assert_eq!(off.body["active"], false);
    assert_eq!(
        refused(json!({"tax_group_id": g.id()})),
        "lines[0].tax_group_id"
    );
    assert_eq!(
        b.get("/api/v1/finance/invoices")["items"]
            .as_array()
            .unwrap()
            .len(),
        invoices_before
    );

    let read = b.get(&format!("/api/v1/finance/tax-groups/{}", g.id()));
    assert_eq!(read["active"], false, "{read}");
    assert_eq!(read["members"].as_array().map(Vec::len), Some(2), "{read}");
    // A tax is renamed and retired by version; a retired tax is no longer charged either.
    let retired = b
        .app
        .patch(
            &format!("/api/v1/finance/taxes/{wht}"),
            &b.admin,
            1,
            json!({"name": "Withholding (old rate)", "active": false}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (retired["active"].as_bool(), retired["version"].as_i64()),
        (Some(false), Some(2)),
        "{retired}"
    );
    b.app
        .patch(
            &format!("/api/v1/finance/taxes/{wht}"),
            &b.admin,
            1,
            json!({"active": true}),
        )
        .expect_problem(412, "version_mismatch");
    let read = b.get(&format!("/api/v1/finance/taxes/{wht}"));
    assert_eq!(
        (
            read["name"].as_str(),
            read["rate"].as_str(),
            read["active"].as_bool()
        ),
        (Some("Withholding (old rate)"), Some("5"), Some(false)),
        "{read}"
    );
    assert_eq!(refused(json!({"tax_id": wht})), "lines[0].tax_id");

    // Groups are finance setup: a user without finance rights sees none.
    let seller = crm_seller(&b.app, &b.admin, "sally");
    b.app
        .get("/api/v1/finance/tax-groups", &seller.token)
        .expect_problem(403, "forbidden");
}
