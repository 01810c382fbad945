//! Every stable code a problem+json answer carries (`Problem.code`), as the contract lists
//! them in the `ProblemCode` schema. The set is open: a later version may answer a code a
//! client does not know yet, so the contract declares `code` as one of these or any other
//! string, and clients should treat an unknown code by its HTTP status.
//!
//! A code the server answers must be listed here: the test harness fails any test that
//! receives one that is not (`erp_tests::TestApp::send`).

/// The known problem codes, sorted.
pub const CODES: &[&str] = &[
    "already_checked_in",
    "already_employed",
    "already_reversed",
    "amount_out_of_range",
    "bad_request",
    "bom_cycle",
    "builtin_role",
    "cannot_change_own_rights",
    "cannot_disable_self",
    "concurrent_change",
    "concurrent_update",
    "document_cancelled",
    "document_held",
    "document_settled",
    "duplicate",
    "duplicate_code",
    "duplicate_customer",
    "duplicate_fiscal_year",
    "duplicate_holiday",
    "duplicate_id",
    "duplicate_name",
    "duplicate_number",
    "duplicate_revision",
    "duplicate_serial",
    "duplicate_sku",
    "duplicate_statement",
    "duplicate_username",
    "employee_terminated",
    "entry_posted",
    "exceeds_own_rights",
    "fifo_layers_exhausted",
    "forbidden",
    "idempotency_key_reused",
    "insufficient_stock",
    "insufficient_stock_at_date",
    "internal_error",
    "invalid_state",
    "last_administrator",
    "layer_consumed",
    "leave_begun",
    "login_taken",
    "method_not_allowed",
    "missing_location",
    "no_active_bom",
    "no_lost_stage",
    "no_open_stage",
    "no_won_stage",
    "not_checked_in",
    "not_found",
    "not_initialised",
    "not_planned",
    "nothing_to_bill",
    "nothing_to_deliver",
    "nothing_to_invoice",
    "nothing_to_issue",
    "nothing_to_pay",
    "nothing_to_revalue",
    "over_allocation",
    "over_budget",
    "over_completion",
    "over_receipt",
    "overlapping_fiscal_year",
    "own_leave",
    "own_password_needs_current",
    "pay_run_exists",
    "pay_run_paid",
    "payload_too_large",
    "payment_reconciled",
    "payroll_not_configured",
    "period_closed",
    "period_paid",
    "plan_superseded",
    "posting_not_configured",
    "precondition_required",
    "quote_expired",
    "recost_too_deep",
    "recost_unavailable",
    "referenced",
    "result_not_expected",
    "revaluation_in_force",
    "run_in_progress",
    "run_not_succeeded",
    "same_stage",
    "segment_in_use",
    "service_unavailable",
    "stock_exists",
    "target_exceeds_own_rights",
    "too_many_login_attempts",
    "transfer_applied",
    "transfer_scheduled",
    "unauthenticated",
    "unbalanced_entry",
    "unknown_parameter",
    "unsupported_media_type",
    "user_linked",
    "validation_failed",
    "version_mismatch",
    "year_closed",
];

/// Whether `code` is one the contract lists.
pub fn is_known(code: &str) -> bool {
    CODES.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_codes_are_sorted_once_each_so_lookups_find_them() {
        assert!(super::CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_known("validation_failed") && !super::is_known("no_such_code"));
    }
}
