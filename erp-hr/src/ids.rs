//! Typed ids of HR records: `Uuid` on the wire, text in the database.

erp_core::entity_id!(
    /// A department of a branch.
    DepartmentId
);
erp_core::entity_id!(
    /// A position (a job title with a planned head count) in a department.
    PositionId
);
erp_core::entity_id!(
    /// An employee: a person among the business partners, employed by the company.
    EmployeeId
);
erp_core::entity_id!(
    /// One assignment of an employee to a branch, department, position and manager from a date.
    AssignmentId
);
erp_core::entity_id!(
    /// An employment contract, or an amendment continuing one with changed terms.
    ContractId
);
erp_core::entity_id!(
    /// A work calendar: the hours worked on each weekday.
    CalendarId
);
erp_core::entity_id!(
    /// A public holiday of a branch.
    HolidayId
);
erp_core::entity_id!(
    /// A kind of leave with its accrual and carry-over rules.
    LeaveTypeId
);
erp_core::entity_id!(
    /// A request for leave.
    LeaveRequestId
);
erp_core::entity_id!(
    /// Days HR added to or took off a leave balance.
    LeaveAdjustmentId
);
erp_core::entity_id!(
    /// One stretch of attendance: a check-in and its check-out.
    AttendanceId
);
erp_core::entity_id!(
    /// An overtime rule: hours over a daily or weekly threshold, paid at a rate.
    OvertimeRuleId
);
erp_core::entity_id!(
    /// A pay component: an earning, a deduction or an employer contribution.
    PayComponentId
);
erp_core::entity_id!(
    /// A pay structure: the pay components a group of employees is paid by.
    PayStructureId
);
erp_core::entity_id!(
    /// A pay run of a branch for a month.
    PayRunId
);
erp_core::entity_id!(
    /// An employee's payslip in a pay run.
    PayslipId
);
erp_core::entity_id!(
    /// Hours booked on a day against a project, a customer, a deal or an operation.
    TimesheetId
);
