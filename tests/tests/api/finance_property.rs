//! A property of the receivables and payables: after any sequence of invoices, bills, credit
//! notes, payments (partial, over, unallocated and allocated later) and cancellations, in the
//! company's currency and in dollars at a rate that changes every day, mixed with stock
//! receipts, issues and scrap, and with a revaluation in force, the ledger balances exactly,
//! every account's cached balance equals the sum of its lines, the receivable and payable
//! accounts equal the open documents less unapplied credit, the tax accounts equal the tax
//! report, and the stock account equals the inventory valuation.

use erp_tests::builders::{item, receive, Stockroom};
use erp_tests::finance::{books, closing_of, Books};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn money(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

fn cents(rng: &mut StdRng, max: i64) -> String {
    Decimal::new(rng.random_range(1..=max), 2).to_string()
}

/// The open documents of a kind, every page.
fn open_docs(b: &Books, kind: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = b.get(&format!(
            "/api/v1/finance/invoices?kind={kind}&open=true&limit=500{cursor}"
        ));
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return out,
        }
    }
}

/// Checks the books at `at`.
fn check(b: &Books, round: usize, at: &str) {
    let tb = b.trial_balance("2026-01-01", at);
    assert_eq!(tb["total_debit"], tb["total_credit"], "round {round}");
    // Every account's cache (the trial balance) equals the sum of its lines (its ledger).
    for line in tb["lines"].as_array().unwrap() {
        let ledger = b.get(&format!(
            "/api/v1/finance/accounts/{}/ledger?from=2026-01-01&to={at}",
            line["account_id"].as_str().unwrap()
        ));
        let sum: Decimal = ledger["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| money(&l["debit"]) - money(&l["credit"]))
            .sum();
        assert_eq!(
            sum,
            money(&line["closing"]),
            "round {round}: {}",
            line["code"]
        );
    }
    for (side, kind, account, sign) in [
        ("receivable", "customer_invoice", "1200", Decimal::ONE),
        ("payable", "supplier_bill", "2000", -Decimal::ONE),
    ] {
        let aging = b.get(&format!(
            "/api/v1/finance/reports/aging?side={side}&at={at}"
        ));
        if at == "2026-12-31" {
            // Today's open documents, at their booked values, are the aging at the year's end.
            let open: Decimal = open_docs(b, kind)
                .iter()
                .map(|d| money(&d["open_in_company_currency"]))
                .sum();
            assert_eq!(
                open,
                money(&aging["totals"]["open_total"]),
                "round {round}: {side}"
            );
        }
        let balance = money(&aging["totals"]["balance"]);
        let ledger: Decimal = closing_of(&tb, account).parse().unwrap_or_default();
        assert_eq!(ledger, sign * balance, "round {round}: {side} account");
    }
    let tax = b.get(&format!(
        "/api/v1/finance/reports/tax?from=2026-01-01&to={at}"
    ));
    let output: Decimal = closing_of(&tb, "2200").parse().unwrap_or_default();
    let input: Decimal = closing_of(&tb, "1400").parse().unwrap_or_default();
    assert_eq!(
        money(&tax["net_tax"]),
        -(output + input),
        "round {round}: tax"
    );
    if at == "2026-12-31" {
        let valuation = b.get("/api/v1/inventory/valuation");
        let stock: Decimal = closing_of(&tb, "1300").parse().unwrap_or_default();
        assert_eq!(
            stock,
            money(&valuation["total_value"]),
            "round {round}: stock"
        );
    }
}

#[test]
fn after_random_document_and_payment_sequences_the_books_agree_with_the_documents() {
    let b = books();
    let vat = b.tax("VAT19", "vat", "19", false);
    let reduced = b.tax("VAT7", "vat", "7", true);
    // Groups: VAT with 10 % withheld, and a sales tax with a compound one on top.
    let withheld = b.tax("WHT10", "withholding", "10", false);
    let state = b.tax("ST5", "sales_tax", "5", false);
    let local = b.tax("LT2", "sales_tax", "2.5", false);
    let with_withholding = b.tax_group("VAT-WHT", &[(&vat, false), (&withheld, false)]);
    let compound = b.tax_group("ST-LT", &[(&state, false), (&local, true)]);
    let terms = b
        .app
        .post(
            "/api/v1/finance/payment-terms",
            &b.admin,
            json!({"code": "2-10-NET30", "name": "2/10 net 30", "net_days": 30,
                   "discount_days": 10, "discount_rate": "2"}),
        )
        .expect(201)
        .id();
    let customers: Vec<String> = (0..3)
        .map(|i| b.partner(&format!("Customer {i}"), "customer"))
        .collect();
    let suppliers: Vec<String> = (0..2)
        .map(|i| b.partner(&format!("Supplier {i}"), "supplier"))
        .collect();
    let mut rng = StdRng::seed_from_u64(20261204);
    // A dollar rate for every day of November, to the ninth place.
    for day in 1..=30 {
        b.app
            .post(
                "/api/v1/finance/exchange-rates",
                &b.admin,
                json!({"currency": "USD", "rate_date": format!("2026-11-{day:02}"),
                       "rate": Decimal::new(rng.random_range(850_000_000..1_150_000_000), 9).to_string()}),
            )
            .expect(201);
    }
    // The last customer and the last supplier deal in dollars.
    let currency_of = |partner: &str| {
        if partner == customers[2] || partner == suppliers[1] {
            "USD"
        } else {
            "EUR"
        }
    };
    let room = Stockroom::create(&b.app, &b.admin, "PROP");
    let goods: Vec<String> = ["FIFO", "AVG"]
        .iter()
        .map(|v| {
            let valuation = if *v == "FIFO" {
                "fifo"
            } else {
                "moving_average"
            };
            item(&b.app, &b.admin, v, json!({"valuation": valuation}))
        })
        .collect();
    let mut on_hand = [0i64; 2];
    let mut payments: Vec<(String, bool)> = Vec::new();
    for i in 0..160 {
        let date = format!("2026-11-{:02}", 1 + i / 6);
        if i % 5 == 4 {
            // Stock: a receipt at a cost to the fourth place, an issue or scrap of what is there.
            let g = rng.random_range(0..2);
            if on_hand[g] == 0 || rng.random_bool(0.5) {
                let q = rng.random_range(1..20);
                let cost = Decimal::new(rng.random_range(1..200_000), 4).to_string();
                receive(
                    &b.app,
                    &b.admin,
                    &goods[g],
                    &room.stock,
                    &q.to_string(),
                    &cost,
                );
                on_hand[g] += q;
            } else {
                let q = rng.random_range(1..=on_hand[g]);
                let kind = if rng.random_bool(0.7) {
                    "issue"
                } else {
                    "scrap"
                };
                b.app
                    .post(
                        "/api/v1/inventory/stock-moves",
                        &b.admin,
                        json!({"move_type": kind, "item_id": goods[g], "quantity": q.to_string(),
                               "from_location_id": room.stock}),
                    )
                    .expect(201);
                on_hand[g] -= q;
            }
        }
        let customer_side = rng.random_bool(0.6);
        let (partners, doc, note, pay) = if customer_side {
            (
                &customers,
                "customer_invoice",
                "customer_credit_note",
                "customer_receipt",
            )
        } else {
            (
                &suppliers,
                "supplier_bill",
                "supplier_debit_note",
                "supplier_payment",
            )
        };
        let partner = partners[rng.random_range(0..partners.len())].clone();
        match rng.random_range(0..10) {
            0..=3 => {
                let lines: Vec<(String, String, Option<&str>)> = (0..rng.random_range(1..4))
                    .map(|_| {
                        let tax = match rng.random_range(0..5) {
                            0 => None,
                            1 => Some(vat.as_str()),
                            2 => Some(with_withholding.as_str()),
                            3 => Some(compound.as_str()),
                            _ => Some(reduced.as_str()),
                        };
                        (
                            rng.random_range(1..6).to_string(),
                            cents(&mut rng, 20_000),
                            tax,
                        )
                    })
                    .collect();
                let lines: Vec<(&str, &str, Option<&str>)> = lines
                    .iter()
                    .map(|(q, p, t)| (q.as_str(), p.as_str(), *t))
                    .collect();
                let extra = if rng.random_bool(0.3) {
                    json!({"payment_terms_id": terms})
                } else {
                    json!({})
                };
                let mut extra = extra;
                extra["currency"] = json!(currency_of(&partner));
                b.invoice(doc, &partner, &date, &lines, extra).expect(201);
            }
            4..=6 => {
                // Pay part of an open document of the partner, sometimes more than it.
                let open: Vec<Value> = open_docs(&b, doc)
                    .into_iter()
                    .filter(|d| d["partner_id"] == partner.as_str())
                    .collect();
                let amount = cents(&mut rng, 50_000);
                let allocations = match open.first() {
                    Some(d) if rng.random_bool(0.8) => {
                        let part = money(&d["open_amount"])
                            .min(amount.parse().unwrap())
                            .to_string();
                        json!([{"invoice_id": d["id"], "amount": part}])
                    }
                    _ => json!([]),
                };
                let p = b
                    .pay_in(
                        pay,
                        &partner,
                        &date,
                        &amount,
                        Some(currency_of(&partner)),
                        allocations,
                    )
                    .expect(201);
                payments.push((p.id(), customer_side));
            }
            7 => {
                // Allocate what a payment has left to an open document of its partner.
                let Some((id, side)) = payments.get(rng.random_range(0..payments.len().max(1)))
                else {
                    continue;
                };
                let p = b.get(&format!("/api/v1/finance/payments/{id}"));
                let kind = if *side {
                    "customer_invoice"
                } else {
                    "supplier_bill"
                };
                let target = open_docs(&b, kind)
                    .into_iter()
                    .find(|d| d["partner_id"] == p["partner_id"]);
                let left = money(&p["unallocated"]);
                if let (Some(d), true) = (target, left > Decimal::ZERO) {
                    let part = left.min(money(&d["open_amount"])).to_string();
                    b.app
                        .post(
                            &format!("/api/v1/finance/payments/{id}/allocate"),
                            &b.admin,
                            json!({"date": date, "allocations": [{"invoice_id": d["id"], "amount": part}]}),
                        )
                        .expect(200);
                }
            }
            8 => {
                // A note correcting an open document of the partner.
                if let Some(d) = open_docs(&b, doc)
                    .into_iter()
                    .find(|d| d["partner_id"] == partner.as_str())
                {
                    let max = (money(&d["open_amount"]) * Decimal::from(100))
                        .min(Decimal::from(5_000))
                        .to_string()
                        .parse::<i64>()
                        .unwrap_or(1)
                        .max(1);
                    let price = cents(&mut rng, max);
                    b.invoice(
                        note,
                        &partner,
                        &date,
                        &[("1", &price, None)],
                        json!({"corrects_id": d["id"]}),
                    )
                    .expect(201);
                }
            }
            _ => {
                // Cancel an untouched document; a settled one refuses (and writes nothing).
                if let Some(d) = open_docs(&b, doc)
                    .into_iter()
                    .find(|d| d["partner_id"] == partner.as_str())
                {
                    let r = b.app.post(
                        &format!(
                            "/api/v1/finance/invoices/{}/cancel",
                            d["id"].as_str().unwrap()
                        ),
                        &b.admin,
                        json!({"date": date}),
                    );
                    assert!(
                        r.status == 200 || r.status == 409,
                        "cancel: {} {}",
                        r.status,
                        r.body
                    );
                }
            }
        }
        if i % 40 == 39 {
            check(&b, i, "2026-12-31");
        }
    }
    // A revaluation at the month's end, in force until the first of December: the books agree
    // at that date with it, and at the year's end without it.
    b.app
        .post(
            "/api/v1/finance/revaluations",
            &b.admin,
            json!({"date": "2026-11-30"}),
        )
        .expect(201);
    check(&b, 160, "2026-11-30");
    check(&b, 160, "2026-12-31");
}
