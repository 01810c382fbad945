-- The employees who staff a work center: its capacity then follows their calendars, their
-- branches' holidays and their approved leave.
CREATE TABLE work_center_staff (
    work_center_id TEXT NOT NULL REFERENCES work_centers (id) ON DELETE CASCADE,
    employee_id TEXT NOT NULL REFERENCES hr_employees (id),
    PRIMARY KEY (work_center_id, employee_id)
);
