//! Loads the default chart of accounts (when the company has none), the standard journals
//! (those missing) and a fiscal year (when it is not open yet), in one transaction.

use chrono::Datelike;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{write_tx, DbConnection};
use erp_core::error::{AppError, Validator};

use super::dto::*;
use crate::account::chart::DEFAULT_CHART;
use crate::account::dto::CreateAccountRequest;
use crate::account::{repo as account_repo, service as account_service};
use crate::journal::dto::{CreateJournalRequest, JournalKind};
use crate::journal::{repo as journal_repo, service as journal_service};
use crate::period::{repo as period_repo, service as period_service};

/// The journals every company gets: (code, name, kind).
const JOURNALS: &[(&str, &str, JournalKind)] = &[
    ("GJ", "General journal", JournalKind::General),
    ("SJ", "Sales journal", JournalKind::Sales),
    ("PJ", "Purchases journal", JournalKind::Purchases),
    ("BJ", "Bank journal", JournalKind::Bank),
    ("CJ", "Cash journal", JournalKind::Cash),
    ("IJ", "Stock journal", JournalKind::Stock),
    ("PR", "Payroll journal", JournalKind::Payroll),
];

pub fn setup(
    conn: &mut DbConnection,
    actor: &Actor,
    req: SetupRequest,
) -> Result<SetupResponse, AppError> {
    actor.require("finance.setup")?;
    let year = req
        .fiscal_year
        .unwrap_or_else(|| chrono::Utc::now().date_naive().year());
    let mut v = Validator::new();
    v.check(
        (1900..=9998).contains(&year),
        "fiscal_year",
        "must be between 1900 and 9998",
    );
    v.finish()?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut accounts_created = 0;
        if !account_repo::any_exists(conn, company)? {
            for (code, name, account_type, parent, reconcilable) in DEFAULT_CHART {
                let parent_id = match parent {
                    Some(p) => Some(
                        account_repo::find_by_code(conn, company, p)?
                            .ok_or(AppError::Internal(format!("chart parent {p} missing")))?
                            .id,
                    ),
                    None => None,
                };
                account_service::insert_account(
                    conn,
                    company,
                    &CreateAccountRequest {
                        id: None,
                        code: code.to_string(),
                        name: name.to_string(),
                        account_type: *account_type,
                        parent_id,
                        reconcilable: *reconcilable,
                        currency: None,
                    },
                )?;
                accounts_created += 1;
            }
        }
        let mut journals_created = 0;
        for (code, name, kind) in JOURNALS {
            if journal_repo::find_by_code(conn, company, code)?.is_none() {
                journal_service::insert_journal(
                    conn,
                    company,
                    &CreateJournalRequest {
                        id: None,
                        code: code.to_string(),
                        name: name.to_string(),
                        kind: *kind,
                    },
                )?;
                journals_created += 1;
            }
        }
        let rules_created = crate::rule::service::insert_defaults(conn, company)?;
        let periods_created = if period_repo::year_exists(conn, company, year)? {
            0
        } else {
            period_service::insert_year(conn, company, year, 1)?.len()
        };
        let out = SetupResponse {
            accounts_created,
            journals_created,
            fiscal_year: year,
            periods_created,
            rules_created,
        };
        audit::record(
            conn,
            actor,
            "fin_setup",
            company,
            Change::Action("setup", Some(&out)),
        )?;
        Ok(out)
    })
}
