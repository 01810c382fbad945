//! The permission codes HR checks, in one place below every module (the catalog in `lib.rs`
//! lists them with their descriptions). Each module's service re-exports the ones it guards under short names
//! (`department::service::READ`), so a module that checks another's right need not use it.

pub const ATTENDANCE_READ: &str = "hr.attendance.read";
pub const ATTENDANCE_WRITE: &str = "hr.attendance.write";
pub const ATTENDANCE_TERMINAL: &str = "hr.attendance.terminal";
pub const PAYROLL_READ: &str = "hr.payroll.read";
pub const PAYROLL_WRITE: &str = "hr.payroll.write";
pub const PAYROLL_APPROVE: &str = "hr.payroll.approve";
pub const CONFIDENTIAL_READ: &str = "hr.confidential.read";
pub const CONFIDENTIAL_WRITE: &str = "hr.confidential.write";
pub const SELF: &str = "hr.self";
pub const EMPLOYEE_READ: &str = "hr.employee.read";
pub const EMPLOYEE_WRITE: &str = "hr.employee.write";
pub const LEAVE_READ: &str = "hr.leave.read";
pub const LEAVE_WRITE: &str = "hr.leave.write";
pub const LEAVE_APPROVE: &str = "hr.leave.approve";
pub const SETUP: &str = "hr.setup";
