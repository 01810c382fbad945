//! Exchange rates by date, typed and from CSV, and conversion at the rate in force on a date;
//! a date before any rate is refused by field.

use erp_tests::builders::crm_seller;
use erp_tests::finance::books;
use erp_tests::Req;
use serde_json::json;

#[test]
fn rates_are_set_imported_and_used_at_the_latest_date_on_or_before() {
    let b = books();
    let set =
        |body: serde_json::Value| b.app.post("/api/v1/finance/exchange-rates", &b.admin, body);
    let r =
        set(json!({"currency": "USD", "rate_date": "2026-12-01", "rate": "0.9231"})).expect(201);
    assert_eq!(r.body["rate"], "0.9231");
    // The same day again replaces it.
    set(json!({"currency": "USD", "rate_date": "2026-12-01", "rate": "0.9240"})).expect(200);
    let csv = "currency,date,rate\nUSD,2026-12-03,0.95\nGBP,2026-12-01,1.1612\n";
    let imported = b
        .app
        .send(
            "POST",
            "/api/v1/finance/import/exchange-rates",
            Some(&b.admin),
            None,
            &Req {
                raw_body: Some(("text/csv".into(), csv.into())),
                ..Default::default()
            },
        )
        .expect(200);
    assert_eq!(imported.body["imported"], 2);
    let list = b.get("/api/v1/finance/exchange-rates?currency=USD");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);

    let convert = |q: &str| {
        b.app.get(
            &format!("/api/v1/finance/exchange-rates/convert?{q}"),
            &b.admin,
        )
    };
    // 2 December: the rate of the 1st; 100.00 USD × 0.924 = 92.40 EUR.
    let c = convert("currency=USD&date=2026-12-02&amount=100.00")
        .expect(200)
        .body;
    assert_eq!(
        (
            c["rate"].as_str(),
            c["rate_date"].as_str(),
            c["converted"].as_str()
        ),
        (Some("0.924"), Some("2026-12-01"), Some("92.40"))
    );
    // Rounded to the cent, half away from zero: 10.01 × 0.95 = 9.5095.
    let c = convert("currency=USD&date=2026-12-31&amount=10.01")
        .expect(200)
        .body;
    assert_eq!(c["converted"], "9.51");
    let p = convert("currency=USD&date=2026-11-30&amount=1.00")
        .expect_problem(422, "validation_failed")
        .body
        .to_string();
    assert!(
        p.contains("no exchange rate of USD on or before 2026-11-30"),
        "{p}"
    );
    // The company's own currency converts at 1.
    let c = convert("currency=EUR&date=2026-11-30&amount=5.00")
        .expect(200)
        .body;
    assert_eq!(c["converted"], "5.00");

    // Bad input is refused by field and writes nothing.
    for (body, field) in [
        (
            json!({"currency": "usd", "rate_date": "2026-12-01", "rate": "1"}),
            "currency",
        ),
        (
            json!({"currency": "EUR", "rate_date": "2026-12-01", "rate": "1"}),
            "currency",
        ),
        (
            json!({"currency": "CHF", "rate_date": "2026-12-01", "rate": "0"}),
            "rate",
        ),
        (
            json!({"currency": "CHF", "rate_date": "2026-12-01", "rate": "1.0000000001"}),
            "rate",
        ),
    ] {
        let e = set(body)
            .expect_problem(422, "validation_failed")
            .body
            .to_string();
        assert!(e.contains(field), "{e}");
    }
    let bad = "currency,date,rate\nCHF,2026-12-01,1.05\nCHF,yesterday,1.06\n";
    let e = b
        .app
        .send(
            "POST",
            "/api/v1/finance/import/exchange-rates",
            Some(&b.admin),
            None,
            &Req {
                raw_body: Some(("text/csv".into(), bad.into())),
                ..Default::default()
            },
        )
        .expect_problem(422, "validation_failed")
        .body
        .to_string();
    assert!(e.contains("rows[2].date"), "{e}");
    assert!(
        b.get("/api/v1/finance/exchange-rates?currency=CHF")["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let ann = crm_seller(&b.app, &b.admin, "ann");
    b.app
        .post(
            "/api/v1/finance/exchange-rates",
            &ann.token,
            json!({"currency": "CHF", "rate_date": "2026-12-01", "rate": "1"}),
        )
        .expect_problem(403, "forbidden");
}

/// The list pages by currency, then date: every rate once, in order, however small the page,
/// and it used to stop silently at 10,000 rates.
#[test]
fn the_rate_list_pages_by_currency_then_date() {
    let b = books();
    let mut csv = String::from("currency,date,rate\n");
    for currency in ["USD", "GBP", "CHF"] {
        for day in 1..=9 {
            csv.push_str(&format!("{currency},2026-11-0{day},1.{day}\n"));
        }
    }
    b.app
        .send(
            "POST",
            "/api/v1/finance/import/exchange-rates",
            Some(&b.admin),
            None,
            &Req {
                raw_body: Some(("text/csv".into(), csv)),
                ..Default::default()
            },
        )
        .expect(200);
    let mut seen = Vec::new();
    let mut url = "/api/v1/finance/exchange-rates?limit=4&from=2026-11-02".to_string();
    loop {
        let page = b.get(&url);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 4);
        for r in items {
            seen.push(format!(
                "{} {}",
                r["currency"].as_str().unwrap(),
                r["rate_date"].as_str().unwrap()
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => {
                url = format!("/api/v1/finance/exchange-rates?limit=4&from=2026-11-02&cursor={c}")
            }
            None => break,
        }
    }
    let mut expected = Vec::new();
    for currency in ["CHF", "GBP", "USD"] {
        for day in 2..=9 {
            expected.push(format!("{currency} 2026-11-0{day}"));
        }
    }
    assert_eq!(seen, expected);
    // Without a limit, a page of 50; a made-up cursor or limit is refused by name.
    let all = b.get("/api/v1/finance/exchange-rates");
    assert_eq!(all["items"].as_array().unwrap().len(), 27);
    assert!(all["next_cursor"].is_null());
    for (q, field) in [("cursor=bm90LWEtY3Vyc29y", "cursor"), ("limit=0", "limit")] {
        let e = b
            .app
            .get(&format!("/api/v1/finance/exchange-rates?{q}"), &b.admin)
            .expect_problem(422, "validation_failed")
            .body
            .to_string();
        assert!(e.contains(field), "{e}");
    }
}
