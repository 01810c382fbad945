//! HR: the organisation (departments as a tree per branch, positions with a planned head
//! count), employees linked to a person among the business partners and optionally to a
//! user, their assignments over time, employment contracts with their amendments, the org
//! chart, and the employee's own view of their record.
//!
//! Salaries, contracts, bank details and birth dates are confidential: HR roles
//! (`hr.confidential.read`) and the employee themself see them, a line manager does not.
//!
//! Every business object has the same folder: `model.rs` rows, `repo.rs` the only place that
//! builds queries, `service.rs` rules and transactions, `dto.rs` wire types, `http.rs` routes.

pub mod attendance;
pub mod calendar;
pub mod department;
pub mod employee;
pub mod error;
pub mod ids;
pub mod leave;
pub mod orgchart;
pub mod payroll;
pub mod position;
pub mod rights;
pub mod staffing;
pub mod team;
pub mod timesheet;
mod wire;

use erp_core::auth::Permission;

pub use error::HrError;

/// Permissions this module defines, for the catalog.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        code: rights::EMPLOYEE_READ,
        description:
            "See employees, departments, positions and the org chart (without confidential data)",
    },
    Permission {
        code: rights::EMPLOYEE_WRITE,
        description: "Hire, transfer and terminate employees; manage departments and positions",
    },
    Permission {
        code: rights::CONFIDENTIAL_READ,
        description: "See salaries, contracts, bank details and birth dates of employees",
    },
    Permission {
        code: rights::CONFIDENTIAL_WRITE,
        description: "Make and amend employment contracts; change bank details and birth dates",
    },
    Permission {
        code: rights::SETUP,
        description: "Manage work calendars, public holidays and leave types",
    },
    Permission {
        code: rights::LEAVE_READ,
        description: "See the leave requests and balances of employees (a manager sees their team's without it)",
    },
    Permission {
        code: rights::LEAVE_WRITE,
        description: "Request and cancel leave on behalf of employees",
    },
    Permission {
        code: rights::LEAVE_APPROVE,
        description: "Approve or refuse any employee's leave (a manager decides their team's without it)",
    },
    Permission {
        code: rights::ATTENDANCE_READ,
        description: "See attendance and daily totals of employees (a manager sees their team's without it)",
    },
    Permission {
        code: rights::ATTENDANCE_WRITE,
        description: "Record, correct and remove attendance of employees",
    },
    Permission {
        code: rights::ATTENDANCE_TERMINAL,
        description: "Check employees in and out: the right of a time terminal's user and API key",
    },
    Permission {
        code: rights::PAYROLL_READ,
        description: "See pay components, pay runs and payslips",
    },
    Permission {
        code: rights::PAYROLL_WRITE,
        description: "Define pay components; compute and delete draft pay runs",
    },
    Permission {
        code: rights::PAYROLL_APPROVE,
        description: "Approve pay runs and post them to the ledger",
    },
    Permission {
        code: rights::SELF,
        description: "See one's own employee record, contracts, leave and direct reports (and decide their leave); ask for one's own leave",
    },
];

/// Routes of this module, relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    department::http::configure(cfg);
    position::http::configure(cfg);
    employee::http::configure(cfg);
    employee::contract::http::configure(cfg);
    calendar::http::configure(cfg);
    leave::http::configure(cfg);
    attendance::http::configure(cfg);
    payroll::http::configure(cfg);
    timesheet::http::configure(cfg);
    orgchart::http::configure(cfg);
}
