//! The finance fixture: a company whose books are set up (default chart, journals, the
//! fiscal year 2026), with its accounts and journals by code.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::{Resp, TestApp};

pub struct Books {
    pub app: Arc<TestApp>,
    pub admin: String,
    pub accounts: HashMap<String, String>,
    pub journals: HashMap<String, String>,
}

/// A fresh server with its books set up (checking that a second setup creates nothing).
pub fn books() -> Books {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let setup = app
        .post(
            "/api/v1/finance/setup",
            &admin,
            json!({"fiscal_year": 2026}),
        )
        .expect(200);
    assert_eq!(setup.body["periods_created"], 12);
    assert!(setup.body["accounts_created"].as_u64().unwrap() > 30);
    // A second setup creates nothing more.
    let again = app
        .post(
            "/api/v1/finance/setup",
            &admin,
            json!({"fiscal_year": 2026}),
        )
        .expect(200);
    assert_eq!(
        (
            again.body["accounts_created"].as_u64(),
            again.body["periods_created"].as_u64()
        ),
        (Some(0), Some(0))
    );
    let accounts = app
        .get("/api/v1/finance/accounts?limit=500", &admin)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["code"].as_str().unwrap().to_string(),
                a["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let journals = app.get("/api/v1/finance/journals", &admin).expect(200).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["code"].as_str().unwrap().to_string(),
                j["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Books {
        app,
        admin,
        accounts,
        journals,
    }
}

impl Books {
    /// An entry body: `lines` as (account code, debit, credit).
    pub fn entry(
        &self,
        journal: &str,
        date: &str,
        lines: &[(&str, &str, &str)],
        post: bool,
    ) -> Value {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(code, d, c)| {
                let mut l = json!({"account_id": self.accounts[*code]});
                if !d.is_empty() {
                    l["debit"] = json!(d);
                }
                if !c.is_empty() {
                    l["credit"] = json!(c);
                }
                l
            })
            .collect();
        json!({"journal_id": self.journals[journal], "entry_date": date, "lines": lines, "post": post})
    }

    pub fn post(&self, date: &str, lines: &[(&str, &str, &str)]) -> Resp {
        self.app.post(
            "/api/v1/finance/entries",
            &self.admin,
            self.entry("GJ", date, lines, true),
        )
    }

    pub fn trial_balance(&self, from: &str, to: &str) -> Value {
        self.app
            .get(
                &format!("/api/v1/finance/reports/trial-balance?from={from}&to={to}"),
                &self.admin,
            )
            .expect(200)
            .body
    }

    pub fn entry_count(&self) -> usize {
        self.app
            .get("/api/v1/finance/entries?limit=500", &self.admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len()
    }
}

/// The closing balance of an account in a trial balance (`absent` when it has no line).
pub fn closing_of(tb: &Value, code: &str) -> String {
    tb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .map_or("absent".into(), |l| {
            l["closing"].as_str().unwrap().to_string()
        })
}

impl Books {
    /// A business partner with the role `customer` or `supplier`.
    pub fn partner(&self, name: &str, role: &str) -> String {
        self.app
            .post(
                "/api/v1/partners",
                &self.admin,
                crate::builders::partner(name, &[role]),
            )
            .expect(201)
            .id()
    }

    /// A tax rate on the default output (2200) and input (1400) tax accounts.
    pub fn tax(&self, code: &str, kind: &str, rate: &str, price_included: bool) -> String {
        self.app
            .post(
                "/api/v1/finance/taxes",
                &self.admin,
                json!({
                    "code": code, "name": code, "kind": kind, "rate": rate,
                    "price_included": price_included,
                    "sales_account_id": self.accounts["2200"],
                    "purchase_account_id": self.accounts["1400"],
                }),
            )
            .expect(201)
            .id()
    }

    /// A tax group of `members` as (tax id, compound).
    pub fn tax_group(&self, code: &str, members: &[(&str, bool)]) -> String {
        let members: Vec<Value> = members
            .iter()
            .map(|(t, compound)| json!({"tax_id": t, "compound": compound}))
            .collect();
        let group = self
            .app
            .post(
                "/api/v1/finance/tax-groups",
                &self.admin,
                json!({"code": code, "name": code, "members": members}),
            )
            .expect(201)
            .id();
        format!("group:{group}")
    }

    /// A posted document of `kind` for `partner`: `lines` as (quantity, unit price, tax id,
    /// or a group as [`Books::tax_group`] names it).
    pub fn invoice(
        &self,
        kind: &str,
        partner: &str,
        date: &str,
        lines: &[(&str, &str, Option<&str>)],
        extra: Value,
    ) -> Resp {
        let lines: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(i, (q, p, t))| {
                let mut line = json!({"description": format!("line {}", i + 1), "quantity": q, "unit_price": p});
                match t.and_then(|t| t.strip_prefix("group:")) {
                    Some(group) => line["tax_group_id"] = json!(group),
                    None => line["tax_id"] = json!(t),
                }
                line
            })
            .collect();
        let mut body = json!({"kind": kind, "partner_id": partner, "invoice_date": date, "lines": lines, "post": true});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.app.post("/api/v1/finance/invoices", &self.admin, body)
    }

    /// A payment into (receipt) or out of (supplier payment) the bank account 1100.
    pub fn pay(
        &self,
        kind: &str,
        partner: &str,
        date: &str,
        amount: &str,
        allocations: Value,
    ) -> Resp {
        self.pay_in(kind, partner, date, amount, None, allocations)
    }

    /// A payment like [`Books::pay`], in `currency` (default: the bank account's or company's).
    pub fn pay_in(
        &self,
        kind: &str,
        partner: &str,
        date: &str,
        amount: &str,
        currency: Option<&str>,
        allocations: Value,
    ) -> Resp {
        self.app.post(
            "/api/v1/finance/payments",
            &self.admin,
            json!({"kind": kind, "partner_id": partner, "payment_date": date, "currency": currency,
                   "account_id": self.accounts["1100"], "amount": amount, "allocations": allocations}),
        )
    }

    pub fn get(&self, path: &str) -> Value {
        self.app.get(path, &self.admin).expect(200).body
    }
}
