//! The black-box API suite in one test binary: each module is one area of the product,
//! speaking HTTP to a real server on a fresh database (see `erp_tests::TestApp`).
//!
//! One binary, not one per file: each binary links the whole server, and fifty of them took
//! about 20 GB of disk and most of the suite's link time.

mod audit;
mod auth;
mod bad_input;
mod concurrency;
mod contract;
mod conventions;
mod crm;
mod crm_access;
mod crm_automation;
mod crm_daily;
mod crm_documents;
mod crm_import;
mod crm_orders;
mod crm_portal;
mod crm_quotes;
mod crm_segments;
mod crm_service;
mod crm_teams;
mod crm_webhooks;
mod dashboards;
mod finance_bank;
mod finance_budget_control;
mod finance_cash_forecast;
mod finance_collections;
mod finance_currencies;
mod finance_instalments;
mod finance_ledger;
mod finance_opening;
mod finance_order_invoicing;
mod finance_payment_cancel;
mod finance_postings;
mod finance_property;
mod finance_purchase_bills;
mod finance_rates;
mod finance_receivables;
mod finance_tax_groups;
mod finance_year_end;
mod hr_attendance;
mod hr_capacity;
mod hr_leave;
mod hr_payroll;
mod hr_people;
mod hr_timesheets;
mod iam;
mod iam_rights;
mod inventory_calendar;
mod inventory_counts;
mod inventory_csv;
mod inventory_ledger;
mod inventory_master;
mod inventory_purchasing;
mod inventory_reservations;
mod inventory_transfers;
mod inventory_valuation;
mod mrp_bulk;
mod mrp_csv;
mod mrp_planning;
mod mrp_production;
mod mrp_structure;
mod printing;
mod security;
mod storage;
